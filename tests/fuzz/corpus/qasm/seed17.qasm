OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];

u3(pi/2,-pi/4,0.25) q[0];
cx q[2],q[1];
rzz(2*pi/3) q[1],q[2];
ccx q[0],q[1],q[2];
barrier q,q[1],include "qel