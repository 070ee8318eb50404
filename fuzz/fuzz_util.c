/*
 * fuzz_util.c: the temp directory, the caseload and the config the
 * libFuzzer targets share (see fuzz_util.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/import.h"
#include "core/xmalloc.h"
#include "io/csv.h"
#include "fuzz_util.h"

/*
 * The pupils on roll before any input: a status of each kind, ranked
 * needs, flags, a preferred name and non-ASCII names, so that an input
 * naming one of these UPNs takes the "changed" and "unchanged" paths.
 */
static const char FZ_ROLL_CSV[] =
    "UPN,Legal Surname,Legal Forename,Preferred Forename,DOB,Year,Reg,"
    "Gender,SEN Status,Primary Need,Secondary Need,Pupil Premium,FSM,"
    "In Care,EAL,Attendance %\n"
    "A801200005010,Brown,Zoë,,03/04/2016,4,4B,F,K,SPLD,,Y,N,N,N,93.5\n"
    "P801200005011,Ó Súilleabháin,Siobhán,Shiv,2015-02-01,5,5A,F,E,ASD,"
    "SLCN,Yes,Yes,No,No,97%\n"
    "D801200005012,Nowak,Łukasz,,30/11/2017,R,RC,M,K,SEMH,,0,0,0,1,\n"
    "T801200005013,Nguyễn,Minh,,10/10/2014,6,6A,M,N,,,N,N,Y,Y,88\n"
    "G801200005014,李,Wei,,2016-06-15,4,4B,F,E,HI,,N,N,N,Y,100\n";

static char *tmpdir;

void
fz_fail(const char *file, int line, const char *cond, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s:%d: property broken: %s: ", file, line, cond);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void
rm_tmpdir(void)
{
	if (tmpdir != NULL)
		nftw(tmpdir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *
fz_tmpdir(void)
{
	const char *base;

	if (tmpdir != NULL)
		return tmpdir;
	base = getenv("TMPDIR");
	if (base == NULL || *base == '\0')
		base = "/tmp";
	xasprintf(&tmpdir, "%s/senco-fuzz-XXXXXX", base);
	if (mkdtemp(tmpdir) == NULL) {
		fprintf(stderr, "fuzz: mkdtemp %s: %s\n", tmpdir,
		    strerror(errno));
		abort();
	}
	atexit(rm_tmpdir);
	/* Nothing the code under test looks up may come from the real
	 * home: configs, data directories. */
	setenv("HOME", tmpdir, 1);
	setenv("XDG_CONFIG_HOME", tmpdir, 1);
	setenv("XDG_DATA_HOME", tmpdir, 1);
	unsetenv("SENCO_CONFIG");
	setenv("SENCO_TODAY", "2026-01-15", 1);
	return tmpdir;
}

/* Returns a path the caller frees. */
char *
fz_path(const char *name)
{
	char *p;

	xasprintf(&p, "%s/%s", fz_tmpdir(), name);
	return p;
}

void
fz_write(const char *path, const uint8_t *data, size_t n)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t done = 0;

	if (fd < 0) {
		fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
		abort();
	}
	while (done < n) {
		ssize_t w = write(fd, data + done, n - done);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			fprintf(stderr, "fuzz: %s: %s\n", path,
			    strerror(errno));
			abort();
		}
		done += (size_t)w;
	}
	close(fd);
}

/* Returns a string the caller frees. */
char *
fz_strndup(const uint8_t *data, size_t n)
{
	char *s = xmalloc(n + 1);

	memcpy(s, data, n);
	s[n] = '\0';
	return s;
}

/* Put the roll in through the importer, as "senco import" would. */
static void
load_roll(struct db *db)
{
	struct import_opts o = { .dry_run = false, .skip_bad = false,
	    .cfg = NULL };
	struct import_result res;
	struct importer *im;
	struct csv_reader *r;
	struct csv_record rec;
	struct serr e;
	bool header = true;
	int rc;

	serr_clear(&e);
	import_result_init(&res, "roll.csv");
	if (import_begin(db, &o, &res, &im, &e) != 0)
		goto fail;
	r = csv_open(FZ_ROLL_CSV, sizeof FZ_ROLL_CSV - 1, ',');
	while ((rc = csv_next(r, &rec, "roll.csv", &e)) == 1) {
		rc = header ? import_header(im, rec.fields, rec.n, rec.line, &e)
		    : import_record(im, rec.fields, rec.n, rec.line, &e);
		header = false;
		if (rc != 0)
			break;
	}
	csv_close(r);
	if (rc != 0) {
		import_abort(im);
		goto fail;
	}
	if (import_end(im, &e) != 0 || res.added != 5)
		goto fail;
	import_result_free(&res);
	return;
fail:
	fprintf(stderr, "fuzz: cannot load the roll: %s\n", e.msg);
	for (int i = 0; i < res.n_msgs; i++)
		fprintf(stderr, "  %d: %s\n", res.msgs[i].line,
		    res.msgs[i].text);
	abort();
}

struct db *
fz_db(void)
{
	static struct db *db;
	struct serr e;
	char *path;

	if (db != NULL)
		return db;
	path = fz_path("caseload.db");
	serr_clear(&e);
	if (db_open(&db, path, DB_CREATE, &e) != 0) {
		fprintf(stderr, "fuzz: db_open %s: %s\n", path, e.msg);
		abort();
	}
	free(path);
	db_set_author(db, "Mrs Fuzz");
	load_roll(db);
	return db;
}

const struct config *
fz_config(void)
{
	static struct config c;
	static bool made;
	static const struct { const char *header, *field; } map[] = {
		{ "Known As", "preferred_forename" },
		{ "Pupil Number", "upn" },
		{ "Code Need", "primary_need" },
		{ "Junk", "ignore" },
	};

	if (made)
		return &c;
	config_defaults(&c);
	c.n_import_columns = (int)(sizeof map / sizeof *map);
	c.import_columns = xcalloc((size_t)c.n_import_columns,
	    sizeof *c.import_columns);
	for (int i = 0; i < c.n_import_columns; i++) {
		c.import_columns[i].name = xstrdup(map[i].header);
		c.import_columns[i].value = xstrdup(map[i].field);
		c.import_columns[i].line = i + 1;
	}
	made = true;
	return &c;
}
