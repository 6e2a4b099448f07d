/* tests/qml: the 2-qubit quantum classifier against CONVENTIONS section 11 (a), (b),
 * (c) in double, the float32 layer against the same numbers, gradients against finite
 * differences, the shot sampler's statistics and the layer's validation messages. */
#include "qcq/qml.h"
#include "check.h"

#include <stdlib.h>

static const double X[6][2] = {{0.0, 0.0}, {0.3, 0.7}, {1.2, -0.4},
			       {2.5, 1.9}, {-1.7, 3.1}, {0.05, 0.95}};
static const double TH[6][8] = {
	{0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0},
	{0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8},
	{-0.5, 1.1, 0.25, -1.3, 2.0, 0.05, -0.75, 1.6},
	{3.0, -2.2, 0.9, 1.7, -0.4, 2.6, -1.9, 0.35},
	{1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0},
	{-0.3, 0.45, -0.6, 0.75, -0.9, 1.05, -1.2, 1.35},
};

/* (a) [r-1][case][Z0, Z1, Z0Z1] */
static const double A[3][6][3] = {
	{{+0.6296817252965, +1.0000000000000, +0.6296817252965},
	 {-0.0091436615015, -0.1761665039778, -0.2475382082021},
	 {-0.6073872702307, +0.2261081729620, -0.4356803671225},
	 {-0.4157515049602, +0.4639206098175, -0.6433130675070},
	 {+0.4216732862122, -0.7956182383111, -0.2487708222052},
	 {+0.1891010198023, -0.3641156225514, +0.2325177695672}},
	{{+0.6296817252965, +0.6296817252965, +1.0000000000000},
	 {-0.4008687385219, -0.5987486331889, +0.1345491560593},
	 {+0.1652132094311, -0.4377472062018, +0.2551470760273},
	 {-0.3038357594018, +0.6302122993332, -0.5543257595688},
	 {+0.2757358017694, -0.3218038769387, -0.8313047051323},
	 {+0.4612660796838, +0.4103695688357, +0.2102261305990}},
	{{+0.6296817252965, +1.0000000000000, +0.6296817252965},
	 {-0.4483071611126, -0.2195928922972, +0.0897585832841},
	 {-0.0913098490749, -0.0378452564480, +0.3798952876368},
	 {-0.1550765290928, -0.4520119084906, +0.1428243706635},
	 {+0.7899118482058, -0.3742564036040, -0.4201597963733},
	 {+0.0888064193744, +0.0141741290340, +0.2193321833228}},
};

/* (c) p1 = 0.01, p2 = 0.02 and p1 = 0.02, p2 = 0.03: [noise][r-1][case][Z0, Z1, Z0Z1] */
static const double CN[2][3][6][3] = {
	{{{+0.5305151980729, +0.8012217195131, +0.5199579456312},
	  {-9.253212984160e-04, -0.1451923920016, -0.1969296200153},
	  {-0.4989002306298, +0.1871775272384, -0.3473044107105},
	  {-0.3366355814619, +0.3778129370657, -0.5203854585386},
	  {+0.3284171481483, -0.6583261957051, -0.2150731901418},
	  {+0.1679818272142, -0.2939975858385, +0.1877157939010}},
	 {{+0.5147058451703, +0.5044631988514, +0.7695718591489},
	  {-0.3082489552108, -0.4697094459590, +0.1033936436286},
	  {+0.1373698448559, -0.3385392691614, +0.1946833248480},
	  {-0.2389426755367, +0.4938907644687, -0.4325870649361},
	  {+0.2060201247942, -0.2703133719478, -0.6674076296184},
	  {+0.3710074851433, +0.3139643317689, +0.1766879057085}},
	 {{+0.4993676109842, +0.7466386177463, +0.4845358935704},
	  {-0.3359317066403, -0.1724493591665, +0.0713452223475},
	  {-0.0620295709682, -0.0280516952133, +0.2841504746407},
	  {-0.1153361572957, -0.3415460544013, +0.1029037267917},
	  {+0.5948269506606, -0.2891087437837, -0.3251086833278},
	  {+0.0730333600222, +0.0092746840246, +0.1743469544457}}},
	{{{+0.4694207581366, +0.6738629512069, +0.4508316961144},
	  {+0.0049893266468, -0.1256486839302, -0.1644346612741},
	  {-0.4304449907269, +0.1627979973990, -0.2906878661030},
	  {-0.2861782306842, +0.3230619068116, -0.4418972561234},
	  {+0.2677358844059, -0.5721396260890, -0.1947648274546},
	  {+0.1560361012401, -0.2493050218570, +0.1590112171740}},
	 {{+0.4462313726847, +0.4285606103264, +0.6277626389889},
	  {-0.2509726372884, -0.3907340673214, +0.0841652582948},
	  {+0.1207399991394, -0.2776149068304, +0.1573715070260},
	  {-0.1992269965991, +0.4103371381797, -0.3578859696258},
	  {+0.1626354026966, -0.2401918737988, -0.5681531472173},
	  {+0.3164910640324, +0.2543533159802, +0.1568255101981}},
	 {{+0.4241875428741, +0.5967511646229, +0.3992419218527},
	  {-0.2693475979432, -0.1449479692424, +0.0605585547953},
	  {-0.0444291955094, -0.0222407016888, +0.2277448529244},
	  {-0.0918438586552, -0.2762960394493, +0.0792343667792},
	  {+0.4797152943414, -0.2391778364633, -0.2697056604285},
	  {+0.0639986263995, +0.0063477164678, +0.1484779803884}}},
};

/* (b): case B (1) and C (2), r = 1..3, obs Z0 / ZZ: dtheta[8], dx[2] */
struct grad_case {
	int c, r;
	enum qml_observable obs;
	double dth[8], dx[2];
};
static const struct grad_case G[] = {
	{1, 1, QML_OBS_Z0, {-0.6652961836578, +0.0485531931872, -0.5385488366258, +0.0000000000000}, {+2.8290396916119, +5.1391415737974}},
	{1, 1, QML_OBS_ZZ, {+0.2097207952111, -0.6673765871462, -0.2296430513490, +0.1036262399576}, {-0.0739376980005, -1.3154904133774}},
	{1, 2, QML_OBS_Z0, {-0.5798146697328, +0.0675686943652, -0.4229400018439, -0.1100967435797, -0.7147131836780, +0.0000000000000}, {+1.8887780162147, +4.3776171286666}},
	{1, 2, QML_OBS_ZZ, {+0.3122220148814, +0.1418681086389, +0.4035574198000, -0.3833195626062, +0.4275172889624, +0.3309713939394}, {-1.6174476568332, -3.4574960400600}},
	{1, 3, QML_OBS_Z0, {-0.3789003608733, +0.3578845136933, -0.1103421310633, +0.1007195226767, -0.3334251687398, +0.2754141991495, +0.0900076324975, +0.0000000000000}, {+0.0527951292444, +3.4077733814561}},
	{1, 3, QML_OBS_ZZ, {+0.0930609031463, -0.1655661377456, +0.1724046742432, +0.8477850847806, -0.0645675233995, -0.3065750583453, +0.3855513449666, +0.9317879158584}, {+1.6377419012321, -0.4669828633671}},
	{2, 1, QML_OBS_Z0, {+0.6025915626384, +0.0957917548001, -0.0917701868548, +0.0000000000000}, {-1.3206443932749, -0.7238173554977}},
	{2, 1, QML_OBS_ZZ, {-0.0884259147212, -0.0506240164034, +0.6521110253432, +0.3209640893352}, {-7.5946435226848, -4.3548092333014}},
	{2, 2, QML_OBS_Z0, {-0.1030281245573, -0.0907295858054, +0.3300416934849, +0.5929628773492, +0.5923631804947, +0.0000000000000}, {-3.1134575226291, +1.0164304157904}},
	{2, 2, QML_OBS_ZZ, {-0.0757464114038, +0.0853743753324, -0.0296058196677, +0.0126542136513, -0.3827633879180, -0.0629525088009}, {+0.6275142741340, -1.3428677075728}},
	{2, 3, QML_OBS_Z0, {+0.0557411829179, +0.1878020846462, +0.3539628202688, +0.1625432034500, +0.4763364155381, +0.2609063611227, +0.3403908686322, +0.0000000000000}, {-1.3658323769991, +1.2334922749736}},
	{2, 3, QML_OBS_ZZ, {-0.7476794909899, -0.2289363294338, -0.4720930290142, -0.3228239617876, -0.3402457270011, -0.1859590052129, -0.4813529236850, +0.7540276630496}, {+1.0039484189430, +0.1443778930709}},
};

/* <Z1> is not a layer output; get it from the state */
static double z1_of_state(const double x[2], const double *th, int r)
{
	double a[8], z = 0;
	qml_classifier_state(x, th, r, a);
	for (int i = 0; i < 4; i++)
		z += (i & 2 ? -1 : 1) * (a[2 * i] * a[2 * i] + a[2 * i + 1] * a[2 * i + 1]);
	return z;
}

static void test_golden_exact(void)
{
	for (int r = 1; r <= 3; r++)
		for (int c = 0; c < 6; c++) {
			CHECK_NEAR(qml_classifier_expect(X[c], TH[c], r, QML_OBS_Z0, NULL, NULL),
				   A[r - 1][c][0], 1e-10);
			CHECK_NEAR(z1_of_state(X[c], TH[c], r), A[r - 1][c][1], 1e-10);
			CHECK_NEAR(qml_classifier_expect(X[c], TH[c], r, QML_OBS_ZZ, NULL, NULL),
				   A[r - 1][c][2], 1e-10);
		}
	double a[8];
	qml_classifier_state(X[2], TH[2], 1, a);
	static const double sv[8] = {+0.1608703126127, +0.1409995617798, -0.7377295722433,
				     -0.1518190726372, -0.0859739017886, -0.3783579247138,
				     -0.0265645779843, -0.4854832702916};
	for (int i = 0; i < 8; i++)
		CHECK_NEAR(a[i], sv[i], 1e-10);
}

static void test_golden_gradients(void)
{
	for (size_t i = 0; i < sizeof G / sizeof G[0]; i++) {
		const struct grad_case *g = &G[i];
		double dx[2], dth[8], sdx[2], sdth[8];
		qml_classifier_expect(X[g->c], TH[g->c], g->r, g->obs, dx, dth);
		/* parameter shift (noisy path with zero noise) must agree too */
		qml_classifier_expect_noisy(X[g->c], TH[g->c], g->r, g->obs, 0, 0, sdx, sdth);
		for (int k = 0; k < 2 * (g->r + 1); k++) {
			CHECK_NEAR(dth[k], g->dth[k], 1e-10);
			CHECK_NEAR(sdth[k], g->dth[k], 1e-10);
		}
		for (int j = 0; j < 2; j++) {
			CHECK_NEAR(dx[j], g->dx[j], 1e-10);
			CHECK_NEAR(sdx[j], g->dx[j], 1e-10);
		}
	}
}

static void test_golden_noisy(void)
{
	static const double P[2][2] = {{0.01, 0.02}, {0.02, 0.03}};
	for (int nz = 0; nz < 2; nz++)
		for (int r = 1; r <= 3; r++)
			for (int c = 0; c < 6; c++) {
				CHECK_NEAR(qml_classifier_expect_noisy(X[c], TH[c], r, QML_OBS_Z0,
								       P[nz][0], P[nz][1], NULL, NULL),
					   CN[nz][r - 1][c][0], 1e-10);
				CHECK_NEAR(qml_classifier_expect_noisy(X[c], TH[c], r, QML_OBS_ZZ,
								       P[nz][0], P[nz][1], NULL, NULL),
					   CN[nz][r - 1][c][2], 1e-10);
			}
	/* zero noise: the density matrix equals the pure state */
	for (int c = 0; c < 6; c++)
		CHECK_NEAR(qml_classifier_expect_noisy(X[c], TH[c], 2, QML_OBS_ZZ, 0, 0, NULL, NULL),
			   A[1][c][2], 1e-12);
}

/* noisy parameter-shift gradients against central finite differences */
static void test_noisy_gradients_fd(void)
{
	double x[2] = {0.4, -0.9}, th[8] = {0.3, -0.2, 1.1, 0.5, -0.7, 0.9, 0.2, -1.3};
	for (int obs = 0; obs < 2; obs++) {
		double dx[2], dth[8], h = 1e-5;
		qml_classifier_expect_noisy(x, th, 3, obs, 0.03, 0.05, dx, dth);
		for (int k = 0; k < 8; k++) {
			double tp[8], tm[8];
			memcpy(tp, th, sizeof tp), memcpy(tm, th, sizeof tm);
			tp[k] += h, tm[k] -= h;
			double fd = (qml_classifier_expect_noisy(x, tp, 3, obs, 0.03, 0.05, NULL, NULL) -
				     qml_classifier_expect_noisy(x, tm, 3, obs, 0.03, 0.05, NULL, NULL)) /
				    (2 * h);
			CHECK_NEAR(dth[k], fd, 1e-6);
		}
		for (int j = 0; j < 2; j++) {
			double xp[2] = {x[0], x[1]}, xm[2] = {x[0], x[1]};
			xp[j] += h, xm[j] -= h;
			double fd = (qml_classifier_expect_noisy(xp, th, 3, obs, 0.03, 0.05, NULL, NULL) -
				     qml_classifier_expect_noisy(xm, th, 3, obs, 0.03, 0.05, NULL, NULL)) /
				    (2 * h);
			CHECK_NEAR(dx[j], fd, 1e-6);
		}
	}
}

/* the float32 layer, exact and noisy, against the golden numbers; backward semantics */
static void test_layer_float(void)
{
	struct qml_qlayer L;
	struct qcq_error e;
	for (int r = 1; r <= 3; r++)
		for (int obs = 0; obs < 2; obs++) {
			struct qml_qlayer_config cfg = {.depth = r, .obs = obs};
			CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
			CHECK(L.nparams == 2 * (r + 1));
			float inp[12], out[6], th[8];
			for (int c = 0; c < 6; c++) {
				/* inputs exactly representable in float? not all: compare with
				 * the double function at the float-rounded inputs too */
				inp[2 * c] = (float)X[c][0], inp[2 * c + 1] = (float)X[c][1];
			}
			for (int c = 0; c < 6; c++) {
				for (int k = 0; k < 8; k++)
					th[k] = (float)TH[c][k];
				qml_qlayer_forward(&L, out, inp, th, 6);
				CHECK_NEAR(out[c], A[r - 1][c][obs ? 2 : 0], 1e-5);
			}
			cfg.p1 = 0.01, cfg.p2 = 0.02;
			CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
			for (int c = 0; c < 6; c++) {
				for (int k = 0; k < 8; k++)
					th[k] = (float)TH[c][k];
				qml_qlayer_forward(&L, out, inp, th, 6);
				CHECK_NEAR(out[c], CN[0][r - 1][c][obs ? 2 : 0], 1e-5);
			}
		}
	/* backward: dtheta accumulates over the batch and calls; dinp is written */
	for (size_t i = 0; i < sizeof G / sizeof G[0]; i++) {
		const struct grad_case *g = &G[i];
		for (int noisy = 0; noisy < 2; noisy++) {
			struct qml_qlayer_config cfg = {.depth = g->r, .obs = g->obs};
			CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
			if (noisy) /* tiny noise forces the density/shift path */
				cfg.p1 = 1e-300;
			CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
			float inp[4] = {(float)X[g->c][0], (float)X[g->c][1], (float)X[g->c][0],
					(float)X[g->c][1]};
			float th[8], dth[8], dinp[4] = {99, 99, 99, 99}, dout[2] = {1.0f, 0.5f};
			for (int k = 0; k < 8; k++)
				th[k] = (float)TH[g->c][k], dth[k] = 1.0f;
			qml_qlayer_backward(&L, dinp, dth, dout, inp, th, 2);
			for (int k = 0; k < L.nparams; k++)
				CHECK_NEAR(dth[k], 1.0 + 1.5 * g->dth[k], 1e-5 * 1.5 + 3e-5);
			for (int j = 0; j < 2; j++) {
				/* dx scales like 2*pi*... : relative tolerance */
				CHECK_NEAR(dinp[j], g->dx[j], 1e-5 * (1 + fabs(g->dx[j])) * 4);
				CHECK_NEAR(dinp[2 + j], 0.5 * g->dx[j], 1e-5 * (1 + fabs(g->dx[j])) * 4);
			}
			qml_qlayer_backward(&L, NULL, dth, dout, inp, th, 0); /* B = 0: no-op */
		}
	}
}

/* shots: the estimate's mean and standard deviation match e and sqrt((1-e^2)/N) */
static void test_layer_shots_statistics(void)
{
	struct qml_qlayer L;
	struct qcq_error e;
	static const long shots[] = {1, 128, 1024, 100000};
	for (int s = 0; s < 4; s++) {
		struct qml_qlayer_config cfg = {.depth = 2, .obs = QML_OBS_Z0, .shots = shots[s],
						.seed = 7};
		CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
		float inp[2] = {0.3f, 0.7f}, th[6], out[1];
		for (int k = 0; k < 6; k++)
			th[k] = (float)TH[1][k];
		double ex = qml_classifier_expect((double[2]){0.3f, 0.7f}, (double[6]){th[0], th[1],
						  th[2], th[3], th[4], th[5]}, 2, QML_OBS_Z0, NULL, NULL);
		int reps = shots[s] >= 100000 ? 400 : 4000;
		double sum = 0, sum2 = 0;
		for (int i = 0; i < reps; i++) {
			qml_qlayer_forward(&L, out, inp, th, 1);
			CHECK(out[0] >= -1 && out[0] <= 1);
			sum += out[0], sum2 += (double)out[0] * out[0];
		}
		double mean = sum / reps, var = sum2 / reps - mean * mean;
		double sd = sqrt((1 - ex * ex) / (double)shots[s]);
		CHECK_NEAR(mean, ex, 5 * sd / sqrt(reps) + 1e-7);
		CHECK_NEAR(sqrt(var), sd, 0.1 * sd);
	}
	/* the same seed gives the same estimates */
	struct qml_qlayer L2;
	struct qml_qlayer_config cfg = {.depth = 1, .obs = QML_OBS_ZZ, .shots = 64, .seed = 3,
					.p1 = 0.01};
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
	CHECK(qml_qlayer_init(&L2, &cfg, &e) == QCQ_OK);
	float inp[2] = {0.2f, 0.1f}, th[4] = {0.1f, 0.2f, 0.3f, 0.4f}, a[1], b[1];
	float da[4] = {0}, db[4] = {0}, dxa[2], dxb[2], one = 1;
	qml_qlayer_forward(&L, a, inp, th, 1);
	qml_qlayer_forward(&L2, b, inp, th, 1);
	qml_qlayer_backward(&L, dxa, da, &one, inp, th, 1);
	qml_qlayer_backward(&L2, dxb, db, &one, inp, th, 1);
	CHECK(a[0] == b[0] && memcmp(da, db, sizeof da) == 0 && memcmp(dxa, dxb, sizeof dxa) == 0);
	/* shot estimates are multiples of 2/N */
	CHECK_NEAR(fmod((a[0] + 1) * 32, 1.0), 0, 1e-5);
}

/* exact adjoint against finite differences at random points, depths 1..8 */
static void test_adjoint_fd_all_depths(void)
{
	struct qcq_rng r;
	qcq_rng_seed(&r, 11);
	for (int depth = 1; depth <= 8; depth++) {
		double x[2] = {4 * qcq_rng_uniform(&r) - 2, 4 * qcq_rng_uniform(&r) - 2}, th[18];
		for (int k = 0; k < 18; k++)
			th[k] = 6 * qcq_rng_uniform(&r) - 3;
		double dx[2], dth[18], h = 1e-6;
		qml_classifier_expect(x, th, depth, QML_OBS_ZZ, dx, dth);
		for (int k = 0; k < 2 * (depth + 1); k++) {
			double tp[18], tm[18];
			memcpy(tp, th, sizeof tp), memcpy(tm, th, sizeof tm);
			tp[k] += h, tm[k] -= h;
			double fd = (qml_classifier_expect(x, tp, depth, QML_OBS_ZZ, NULL, NULL) -
				     qml_classifier_expect(x, tm, depth, QML_OBS_ZZ, NULL, NULL)) / (2 * h);
			CHECK_NEAR(dth[k], fd, 1e-6);
		}
	}
}

static void test_layer_validation(void)
{
	struct qml_qlayer L;
	struct qcq_error e;
	struct qml_qlayer_config cfg = {.depth = 0};
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "depth 0 out of range [1, 8]");
	cfg.depth = 9;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "depth 9 out of range [1, 8]");
	cfg.depth = 2;
	cfg.obs = 5;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_EINVAL);
	CHECK_STR_CONTAINS(e.msg, "unknown observable 5");
	cfg.obs = QML_OBS_Z0;
	cfg.p1 = 1.5;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "p1 1.5 out of range [0, 4/3]");
	cfg.p1 = NAN;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	cfg.p1 = 0;
	cfg.p2 = -0.1;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "p2 -0.1 out of range [0, 16/15]");
	cfg.p2 = 0;
	cfg.shots = -1;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_ERANGE);
	CHECK_STR_CONTAINS(e.msg, "shots -1 out of range [0, 100000000]");
	cfg.shots = 0;
	CHECK(qml_qlayer_init(&L, &cfg, &e) == QCQ_OK);
	CHECK(qml_qlayer_nparams(3) == 8);
}

int main(void)
{
	RUN(test_golden_exact);
	RUN(test_golden_gradients);
	RUN(test_golden_noisy);
	RUN(test_noisy_gradients_fd);
	RUN(test_layer_float);
	RUN(test_layer_shots_statistics);
	RUN(test_adjoint_fd_all_depths);
	RUN(test_layer_validation);
	return check_summary();
}
