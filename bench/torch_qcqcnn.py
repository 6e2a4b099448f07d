#!/usr/bin/python3
"""bench/torch_qcqcnn.py: the PyTorch baseline of bench_train.

Trains the same two models as bench_train on random data and prints sample steps
per second (forward + backward + Adam update) by wall clock and per CPU second of
the thread (the machine is shared), one line per model:

    qcq-cnn-b1 <steps/s> cpu <steps per CPU s>      quanvolved (4,14,14) -> conv16 -> conv32 -> Linear(128,2)
                              -> 2-qubit VQC (ZZFeatureMap reps 2 + RealAmplitudes reps 1,
                              <Z0>) -> Linear(1,2), batch 1
    cnn-b4 <samples/s> cpu <..> (1,28,28) -> conv16 -> conv32 -> Linear(800,2), batch 4

The quantum layer is a hand-written 2-qubit state-vector simulation in torch
(complex64, autograd through it), since Qiskit is not available; it is what the
paper's TorchConnector(EstimatorQNN) computes, without Qiskit's overhead.

Usage: torch_qcqcnn.py [--threads N] [--seconds S]
"""
import argparse
import math
import time

import torch
from torch import nn
import torch.nn.functional as F


def ry(t):
    c, s = torch.cos(t / 2), torch.sin(t / 2)
    return torch.stack([torch.stack([c, -s]), torch.stack([s, c])])


class VQC(nn.Module):
    """The 2-qubit classifier on (B, 4) complex states, index i = b0 + 2 b1 (Qiskit
    order). Written to be fast in torch: each ZZFeatureMap rep is H(x)H followed by
    one diagonal phase (P(2x0) on q0, P(2x1) on q1 and CX.P(zz).CX, which is the
    phase zz where b0 != b1); each RealAmplitudes layer is RY(x)RY as one 4x4 matrix
    and CX(0->1) as a permutation."""

    def __init__(self, depth=1):
        super().__init__()
        self.depth = depth
        self.theta = nn.Parameter(torch.empty(2 * (depth + 1)).uniform_(-1, 1))
        h = torch.tensor([[1.0, 1.0], [1.0, -1.0]]) / math.sqrt(2)
        self.register_buffer("hh", torch.kron(h, h).to(torch.complex64))
        self.register_buffer("b0", torch.tensor([0.0, 1.0, 0.0, 1.0]))
        self.register_buffer("b1", torch.tensor([0.0, 0.0, 1.0, 1.0]))
        self.register_buffer("xr", torch.tensor([0.0, 1.0, 1.0, 0.0]))
        self.register_buffer("z0", torch.tensor([1.0, -1.0, 1.0, -1.0]))
        self.cx = [0, 3, 2, 1]

    def forward(self, x):
        x0, x1 = x[:, :1], x[:, 1:2]
        zz = 2 * (math.pi - x0) * (math.pi - x1)
        ang = 2 * x0 * self.b0 + 2 * x1 * self.b1 + zz * self.xr
        d = torch.polar(torch.ones_like(ang), ang)
        s = torch.full((x.shape[0], 4), 0.5, dtype=torch.complex64) * d  # rep 1 (H|00> = 1/2)
        s = (s @ self.hh.T) * d                                           # rep 2
        th = self.theta
        for k in range(self.depth + 1):
            u = torch.kron(ry(th[2 * k + 1]), ry(th[2 * k])).to(torch.complex64)
            s = s @ u.T
            if k < self.depth:
                s = s[:, self.cx]
        p = s.real ** 2 + s.imag ** 2
        return (p * self.z0).sum(1, keepdim=True)


class QCQCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(4, 16, 3)
        self.conv2 = nn.Conv2d(16, 32, 3)
        self.fc2 = nn.Linear(128, 2)
        self.qnn = VQC(1)
        self.fc3 = nn.Linear(1, 2)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = self.fc2(x.view(x.shape[0], -1))
        return self.fc3(self.qnn(x))


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3)
        self.conv2 = nn.Conv2d(16, 32, 3)
        self.fc = nn.Linear(800, 2)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        return self.fc(x.view(x.shape[0], -1))


def rate(model, shape, batch, seconds):
    torch.manual_seed(1)
    n = 64
    data = torch.rand((n,) + shape) * 2 - 1
    labels = torch.arange(n) % 2
    opt = torch.optim.Adam(model.parameters(), lr=0.001)
    loss_fn = nn.CrossEntropyLoss()

    def step(i):
        j = (i * batch) % n
        x, y = data[j:j + batch], labels[j:j + batch]
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    for i in range(20):
        step(i)
    steps, t0, c0 = 0, time.perf_counter(), time.thread_time()
    while True:
        for _ in range(20):
            step(steps)
            steps += 1
        dt = time.perf_counter() - t0
        if dt >= seconds:
            return steps * batch / dt, steps * batch / (time.thread_time() - c0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=2.0)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    print(f"torch {torch.__version__} threads {torch.get_num_threads()}", flush=True)
    w, c = rate(QCQCNN(), (4, 14, 14), 1, a.seconds)
    print(f"qcq-cnn-b1 {w:.1f} cpu {c:.1f}", flush=True)
    w, c = rate(CNN(), (1, 28, 28), 4, a.seconds)
    print(f"cnn-b4 {w:.1f} cpu {c:.1f}", flush=True)


if __name__ == "__main__":
    main()
