/*
 * fuzz_config.c: libFuzzer target for the settings file (config_load in
 * src/core/config.c, over libconfig). The input is written to one file,
 * rewritten for every input, and loaded as an explicit --config.
 *
 * Checked besides "no crash, no leak": an error is SE_CONFIG with a
 * "file:line: " message and leaves the defaults; every warning names the
 * file; what is accepted is within the ranges senco.conf(5) gives, and
 * the config can be used (database path, staff names) and freed.
 *
 * Inputs holding "@include" are skipped: the config file is the user's
 * own and may include any file it names, so an include of /dev/zero or of
 * a FIFO hanging is not a fault of the loader (and would only make the
 * fuzzer wait).
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/config.h"
#include "core/codes.h"
#include "core/xmalloc.h"
#include "fuzz_util.h"

static char *path;
static size_t path_len;

static void
warned(void *ctx, const char *msg)
{
	int *count = ctx;

	FZ_ASSERT(strncmp(msg, path, path_len) == 0 && msg[path_len] == ':',
	    "warning without the file name: %s", msg);
	(*count)++;
}

static void
check_accepted(const struct config *c)
{
	char *db;
	char year[YEAR_MAX];

	FZ_ASSERT(c->file != NULL && strcmp(c->file, path) == 0, "file %s",
	    c->file ? c->file : "(none)");
	FZ_ASSERT(c->la_number == 0 || (c->la_number >= 100 &&
	    c->la_number <= 999), "la %d", c->la_number);
	FZ_ASSERT(c->estab_number == 0 || (c->estab_number >= 1000 &&
	    c->estab_number <= 9999), "estab %d", c->estab_number);
	FZ_ASSERT(c->roll >= 0, "roll %d", c->roll);
	FZ_ASSERT(c->review_weeks >= 1 && c->review_weeks <= 52, "weeks %d",
	    c->review_weeks);
	FZ_ASSERT(c->retention_years >= 1 && c->retention_years <= 100,
	    "retention %d", c->retention_years);
	FZ_ASSERT(c->topup_pence >= 0, "topup %lld",
	    (long long)c->topup_pence);
	FZ_ASSERT(c->date_style == DATE_STYLE_UK ||
	    c->date_style == DATE_STYLE_ISO, "date style %d",
	    (int)c->date_style);
	for (int i = 0; i < c->n_staff; i++) {
		FZ_ASSERT(c->staff[i].name != NULL, "staff %d has no name", i);
		if (c->staff[i].user != NULL)
			(void)config_staff_name(c, c->staff[i].user);
	}
	(void)config_staff_name(c, "nobody-here");
	for (int i = 0; i < c->n_interventions; i++)
		FZ_ASSERT(c->interventions[i].name != NULL &&
		    c->interventions[i].name[0] != '\0',
		    "intervention %d has no name", i);
	for (int i = 0; i < c->n_agencies; i++)
		FZ_ASSERT(c->agencies[i] != NULL, "agency %d", i);
	for (int i = 0; i < c->n_import_columns; i++)
		FZ_ASSERT(c->import_columns[i].name != NULL &&
		    c->import_columns[i].value != NULL &&
		    c->import_columns[i].line > 0, "import column %d", i);
	FZ_ASSERT(c->n_scales >= 1, "no scale for all subjects");
	for (int i = 0; i < c->n_scales; i++) {
		const struct config_scale *sc = &c->scales[i];

		FZ_ASSERT(sc->n_bands >= 1, "scale %d has no bands", i);
		FZ_ASSERT(sc->expected >= 0 && sc->expected < sc->n_bands,
		    "scale %d: expected %d of %d", i, sc->expected,
		    sc->n_bands);
		FZ_ASSERT(sc->greater_depth == -1 ||
		    (sc->greater_depth > sc->expected &&
		    sc->greater_depth < sc->n_bands),
		    "scale %d: greater depth %d, expected %d of %d", i,
		    sc->greater_depth, sc->expected, sc->n_bands);
		for (int b = 0; b < sc->n_bands; b++)
			FZ_ASSERT(sc->bands[b] != NULL, "scale %d band %d", i,
			    b);
	}
	FZ_ASSERT(isfinite(c->expected_score) &&
	    isfinite(c->greater_depth_score), "scores");
	for (int i = 0; i < c->n_national; i++) {
		const struct config_national *nat = &c->national[i];

		FZ_ASSERT(nat->point != NULL && nat->subject != NULL,
		    "national %d", i);
		FZ_ASSERT(nat->group == 0 || nat->group == 'N' ||
		    nat->group == 'K' || nat->group == 'E', "national group %d",
		    nat->group);
	}
	for (int i = 0; i < c->n_transfer_years; i++)
		FZ_ASSERT(year_parse(c->transfer_years[i], year, NULL) == 0 &&
		    strcmp(year, c->transfer_years[i]) == 0,
		    "transfer year '%s'", c->transfer_years[i]);
	db = config_database_path(c);
	FZ_ASSERT(db != NULL && db[0] != '\0', "no database path");
	free(db);
}

static bool
has_include(const uint8_t *data, size_t n)
{
	static const char word[] = "@include";

	for (size_t i = 0; i + sizeof word - 1 <= n; i++)
		if (memcmp(data + i, word, sizeof word - 1) == 0)
			return true;
	return false;
}

int
fuzz_config_one(const uint8_t *data, size_t n)
{
	struct config c;
	struct serr e;
	int rc, warnings = 0;

	if (path == NULL) {
		path = fz_path("senco.conf");
		path_len = strlen(path);
	}
	if (has_include(data, n))
		return 0;
	fz_write(path, data, n);

	serr_clear(&e);
	rc = config_load(&c, path, warned, &warnings, &e);
	if (rc != 0) {
		FZ_ASSERT(rc == SE_CONFIG, "config_load returned %d: %s", rc,
		    e.msg);
		FZ_ASSERT(strncmp(e.msg, path, path_len) == 0 &&
		    e.msg[path_len] == ':', "message without the file: %s",
		    e.msg);
		FZ_ASSERT(c.file == NULL && c.database == NULL &&
		    c.review_weeks == CONFIG_DEFAULT_REVIEW_WEEKS &&
		    c.n_staff == 0 && c.n_import_columns == 0,
		    "not the defaults after an error");
	} else
		check_accepted(&c);
	config_free(&c);
	return 0;
}

#ifndef FUZZ_NO_MAIN
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t n);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t n)
{
	return fuzz_config_one(data, n);
}
#endif
