OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
h q;
u3(pi/2,-pi/4,0.25) q[0];
cx q[0],q[1];
rzz(2*pi/3) q[1],q[2];
ccx q[2*Âmea¬pi-x1)
barrier q;
measure q -> c;
