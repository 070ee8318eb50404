/*
 * fuzz_util.h: what the libFuzzer targets share: one private temp
 * directory per process, one caseload in it with a few pupils already on
 * roll (so that imports and merges meet known pupils, not only new ones),
 * and writing an input to a file that is rewritten for every input.
 *
 * Everything here is made once per process; a target resets the caseload
 * between inputs by wrapping its work in a transaction it rolls back.
 */
#ifndef SENCO_FUZZ_UTIL_H
#define SENCO_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "core/config.h"
#include "core/db.h"

/* Abort (a crash libFuzzer reports) with a message when cond is false:
 * for properties the code under test promises. */
#define FZ_ASSERT(cond, ...) do { \
	if (!(cond)) \
		fz_fail(__FILE__, __LINE__, #cond, __VA_ARGS__); \
} while (0)
void fz_fail(const char *file, int line, const char *cond, const char *fmt,
    ...) __attribute__((noreturn, format(printf, 4, 5)));

/* The process's private temp directory (under $TMPDIR, else /tmp), made
 * 0700 on first use and removed at exit. */
const char *fz_tmpdir(void);
/* A path inside fz_tmpdir(); the caller frees. */
char *fz_path(const char *name);
/* Write n bytes to path (truncated first); aborts on failure. */
void fz_write(const char *path, const uint8_t *data, size_t n);
/* A NUL-terminated copy of n bytes; the caller frees. */
char *fz_strndup(const uint8_t *data, size_t n);

/* The process's caseload: created on first use with the pupils of
 * FZ_ROLL_CSV, SENCO_TODAY fixed and audit on. Never closed. */
struct db *fz_db(void);
/* A config with the defaults and a small import.columns mapping (so the
 * mapped-header paths run too). Never freed. */
const struct config *fz_config(void);

/*
 * The targets' entry points: one input each, 0 when done, abort() on a
 * broken property. Each fuzz_<name>.c also defines LLVMFuzzerTestOneInput
 * calling its own, unless FUZZ_NO_MAIN is defined: then several targets
 * link into one program (tests/test_fuzz_regress.c replays the saved
 * crash inputs through the gcc build that way).
 */
int fuzz_csv_one(const uint8_t *data, size_t n);
int fuzz_import_one(const uint8_t *data, size_t n);
int fuzz_ctf_one(const uint8_t *data, size_t n);
int fuzz_parse_one(const uint8_t *data, size_t n);
int fuzz_config_one(const uint8_t *data, size_t n);
int fuzz_merge_one(const uint8_t *data, size_t n);

#endif
