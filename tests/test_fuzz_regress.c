/*
 * test_fuzz_regress.c: every crash the fuzz targets (fuzz/) found, kept.
 *
 * Two kinds of test. One per bug, in words: the input that broke it,
 * given to the function through the public API, and what must happen
 * instead. And one per target that replays each saved input under
 * fuzz/regress/<target>/ through the target itself, linked into this
 * gcc build (FUZZ_NO_MAIN), so the same properties are checked outside
 * clang and libFuzzer too. A new crash: save its input there, add a test
 * here, then fix it.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/codes.h"
#include "core/import.h"
#include "io/ctf.h"
#include "core/xmalloc.h"
#include "fuzz_util.h"
#include "helpers.h"

TestSuite(fuzz_regress, .fini = th_cleanup);

/* Under --enable-sanitizers: libconfig 1.5 leaks on some syntax errors
 * that fuzz/regress/config replays (see fuzz/lsan.supp); not senco's.
 * LeakSanitizer asks for this function by name; other builds ignore it. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_options(void);

const char *
__lsan_default_options(void)
{
	return "print_suppressions=0";
}

const char *
__lsan_default_suppressions(void)
{
	return "leak:strbuf_append\nleak:libconfig_yylex\n";
}

/* head, n spaces, then tail: a value padded past the parsers' buffers. The
 * caller frees. */
static char *
padded(const char *head, size_t n, const char *tail)
{
	char *s = xmalloc(strlen(head) + n + strlen(tail) + 1);

	strcpy(s, head);
	memset(s + strlen(head), ' ', n);
	strcpy(s + strlen(head) + n, tail);
	return s;
}

/* --- one test per bug ---------------------------------------------------- */

/*
 * codes.c trimmed() copied a value into a fixed buffer first and trimmed
 * the copy: "R", 30 spaces and "-" was cut to "R" plus spaces, trimmed to
 * "R" and accepted as Reception. fuzz/regress/parse/year-truncated.
 */
Test(fuzz_regress, year_with_junk_after_spaces_is_refused)
{
	char out[YEAR_MAX];
	struct serr e;
	char *s = padded("R", 30, "-");

	serr_clear(&e);
	cr_expect_eq(year_parse(s, out, &e), SE_INVALID, "accepted as %s", out);
	cr_expect(strstr(e.msg, "year group") != NULL, "%s", e.msg);
	free(s);
	s = padded("7", 60, "x");
	cr_expect_eq(year_parse(s, out, NULL), SE_INVALID);
	free(s);
	/* Blanks alone around a real year group are still fine. */
	s = padded("  Year 7", 40, "");
	cr_expect_eq(year_parse(s, out, NULL), 0);
	cr_expect_str_eq(out, "7");
	free(s);
}

/*
 * The same for types of need, twice over: need_parse trimmed into 64
 * bytes, then need_find trimmed that copy again into 32, so "PMLD", many
 * spaces and anything read as PMLD. fuzz/regress/parse/need-truncated.
 */
Test(fuzz_regress, need_with_junk_after_spaces_is_refused)
{
	char need[NEED_CODE_MAX];
	char *s;

	s = padded("PMLD", 121, "legal_forename");
	cr_expect_eq(need_parse(s, need, NULL, NULL), SE_INVALID,
	    "accepted as %s", need);
	cr_expect_null(need_find(s));
	free(s);
	s = padded("SLCN", 40, "x");
	cr_expect_eq(need_parse(s, need, NULL, NULL), SE_INVALID);
	free(s);
	s = padded("  slcn", 100, "");
	cr_expect_eq(need_parse(s, need, NULL, NULL), 0);
	cr_expect_str_eq(need, "SLCN");
	free(s);
}

/* The other vocabularies share trimmed(): a rating, a stage and a broad
 * area with junk after many spaces are refused too. */
Test(fuzz_regress, vocabularies_with_junk_after_spaces_are_refused)
{
	enum stage st;
	enum area ar;
	int r;
	char *s;

	s = padded("3", 40, "z");
	cr_expect_eq(rating_parse(s, &r, NULL), SE_INVALID);
	free(s);
	s = padded("plan", 70, "z");
	cr_expect_eq(stage_parse(s, &st, NULL), SE_INVALID);
	free(s);
	s = padded("CL", 70, "z");
	cr_expect_eq(area_parse(s, &ar, NULL), SE_INVALID);
	free(s);
}

/*
 * flags_parse copied the value into 256 bytes before splitting it into
 * words: 250 blanks then "PP,FSM" lost its last letter and was refused
 * ("FS"), and 253 blanks then "PPX" became "PP" and was accepted.
 * fuzz/regress/parse/flags-truncated.
 */
Test(fuzz_regress, flags_after_many_blanks_are_read_whole)
{
	unsigned f = 0;
	char *s;

	s = padded("", 250, "PP,FSM");
	cr_expect_eq(flags_parse(s, &f, NULL), 0);
	cr_expect_eq(f, (unsigned)(FLAG_PP | FLAG_FSM));
	free(s);
	s = padded("", 253, "PPX");
	cr_expect_eq(flags_parse(s, &f, NULL), SE_INVALID);
	free(s);
	s = padded("EAL", 300, "+ cic,,none");
	cr_expect_eq(flags_parse(s, &f, NULL), 0);
	cr_expect_eq(f, (unsigned)(FLAG_EAL | FLAG_CIC));
	free(s);
}

/*
 * ctf.c collect_needs gave the text of SENtypeRank to strtol without
 * asking whether there was one: a SENneed with no SENtypeRank was a NULL
 * dereference (UBSan in fuzz_ctf; a segfault here). Now the pupil is
 * refused, saying why, and nothing is written.
 * fuzz/regress/ctf/senneed-without-rank.xml.
 */
Test(fuzz_regress, ctf_need_without_rank_is_refused)
{
	static const char xml[] =
	    "<CTfile><CTFpupilData><Pupil>"
	    "<UPN>A801200005010</UPN><Surname>Brown</Surname>"
	    "<Forename>Zoë</Forename><DOB>2016-04-03</DOB>"
	    "<BasicDetails><NCyearActual>4</NCyearActual></BasicDetails>"
	    "<SENhistory><SEN><StartDate>2023-05-10</StartDate>"
	    "<SENprovision>K</SENprovision></SEN></SENhistory>"
	    "<SENneeds><SENneed><SENtype>ASD</SENtype></SENneed></SENneeds>"
	    "</Pupil></CTFpupilData></CTfile>";
	struct db *db = th_db();
	struct import_opts o = { .dry_run = false, .skip_bad = false,
	    .cfg = NULL };
	struct import_result res;
	struct importer *im;
	struct serr e;
	bool said = false;

	serr_clear(&e);
	import_result_init(&res, "leaver.xml");
	cr_assert_eq(import_begin(db, &o, &res, &im, &e), 0, "%s", e.msg);
	cr_assert_eq(ctf_read(im, xml, sizeof xml - 1, "leaver.xml", &res, &e),
	    0, "%s", e.msg);
	cr_expect_eq(import_end(im, &e), SE_INVALID);
	cr_expect_eq(res.refused, 1);
	cr_expect_eq(res.added, 0);
	for (int i = 0; i < res.n_msgs; i++)
		if (res.msgs[i].kind == IMSG_REFUSED &&
		    strstr(res.msgs[i].text, "SENtypeRank") != NULL)
			said = true;
	cr_expect(said, "no message names SENtypeRank");
	cr_expect(!res.written);
	import_result_free(&res);
	db_close(db);
}

/* --- the saved inputs, replayed ------------------------------------------ */

static const char *
regress_dir(void)
{
	const char *src = getenv("SENCO_SRCDIR");
	static char buf[4096];

	if (src != NULL && *src != '\0') {
		snprintf(buf, sizeof buf, "%s/fuzz/regress", src);
		return buf;
	}
	return FUZZ_REGRESS_DIR;
}

/* Feed every file in fuzz/regress/<target>/ to one; returns how many. */
static int
replay(const char *target, int (*one)(const uint8_t *, size_t))
{
	char dir[4200], path[4500];
	struct dirent *de;
	DIR *d;
	int count = 0;

	snprintf(dir, sizeof dir, "%s/%s", regress_dir(), target);
	if ((d = opendir(dir)) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		FILE *fp;
		uint8_t *buf;
		long len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		fp = fopen(path, "rb");
		cr_assert_not_null(fp, "%s", path);
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		rewind(fp);
		buf = xmalloc((size_t)len + 1);
		cr_assert_eq(fread(buf, 1, (size_t)len, fp), (size_t)len);
		fclose(fp);
		cr_log_info("%s: %s", target, de->d_name);
		cr_expect_eq(one(buf, (size_t)len), 0, "%s", path);
		free(buf);
		count++;
	}
	closedir(d);
	return count;
}

Test(fuzz_regress, replay_parse)
{
	/* Three inputs are known to be there: the directory must be
	 * found. */
	cr_expect_geq(replay("parse", fuzz_parse_one), 3, "no inputs in %s",
	    regress_dir());
}

Test(fuzz_regress, replay_csv)
{
	replay("csv", fuzz_csv_one);
}

Test(fuzz_regress, replay_import)
{
	replay("import", fuzz_import_one);
}

Test(fuzz_regress, replay_ctf)
{
	replay("ctf", fuzz_ctf_one);
}

Test(fuzz_regress, replay_config)
{
	replay("config", fuzz_config_one);
}

Test(fuzz_regress, replay_merge)
{
	replay("merge", fuzz_merge_one);
}
