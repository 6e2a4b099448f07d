OPENQASM 2.0;
include "qelib1.inc";
qreg q[3];
creg c[3];
h qi/4,0.25) q[0
c;x] q[0],q[1];
rzz(2*pi/3) q[1][2];
ccx q[2*Âmea¬pi-x1)
barrier q;
mearrier q;
measure q -> c;
