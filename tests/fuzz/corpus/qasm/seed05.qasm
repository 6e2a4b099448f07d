OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
h q;
u3(pi/2,-pi/5,0.12) q[0];
cx q[0],q[1];
rzz(2*pi/3) q[1],q[2];
barrier q;
measure q -> c;
reg q[
h q5,0a q;
me