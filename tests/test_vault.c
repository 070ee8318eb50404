/*
 * test_vault.c: encrypted backups: a round trip gives back the same
 * caseload; a wrong passphrase, every kind of tampering, truncation and
 * extension is refused with nothing written; files are 0600 under any
 * umask; passphrases from a file descriptor.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/db.h"
#include "core/pupil.h"
#include "core/record.h"
#include "core/vault.h"
#include "core/xmalloc.h"
#include "helpers.h"

TestSuite(vault, .fini = th_cleanup);

/* The cheapest Argon2id cost: the format and checks are what is tested
 * here (one test uses senco's real cost). */
static const struct vault_kdf fast = { 1, 8192 };

static const char PASS[] = "Siobhán's correct horse battery 李";

static void
pass(struct passphrase *pw, const char *s)
{
	struct serr e;

	cr_assert_eq(passphrase_set(pw, s, strlen(s), &e), 0, "%s", e.msg);
}

static bool
exists(const char *path)
{
	struct stat sb;

	return lstat(path, &sb) == 0;
}

static mode_t
mode_of(const char *path)
{
	struct stat sb;

	cr_assert_eq(stat(path, &sb), 0, "stat %s", path);
	return sb.st_mode & 0777;
}

static off_t
size_of(const char *path)
{
	struct stat sb;

	cr_assert_eq(stat(path, &sb), 0, "stat %s", path);
	return sb.st_size;
}

/* Names in dir other than those expected (temp files left behind). */
static int
stray_files(const char *dir, const char *const keep[], int n_keep)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int stray = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d)) != NULL) {
		bool ok = de->d_name[0] == '.';

		for (int i = 0; i < n_keep && !ok; i++)
			ok = strcmp(de->d_name, keep[i]) == 0;
		if (!ok) {
			cr_log_warn("stray file %s/%s", dir, de->d_name);
			stray++;
		}
	}
	closedir(d);
	return stray;
}

/* Every row of every table, in a fixed order, as text. Caller frees. */
static char *
dump(const char *path)
{
	sqlite3 *h;
	sqlite3_stmt *tables, *st;
	char *out = xstrdup(""), *sql;

	cr_assert_eq(sqlite3_open_v2(path, &h, SQLITE_OPEN_READONLY, NULL),
	    SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(h, "SELECT name, sql FROM "
	    "sqlite_schema ORDER BY type, name", -1, &tables, NULL), SQLITE_OK);
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(tables, 0);
		const char *ddl = (const char *)sqlite3_column_text(tables, 1);
		char *prev = out;

		xasprintf(&out, "%s\n%s", prev, ddl ? ddl : name);
		free(prev);
		if (ddl == NULL || strncmp(ddl, "CREATE TABLE", 12) != 0)
			continue;
		/* A WITHOUT ROWID table (FTS5's) is read in key order. */
		xasprintf(&sql, "SELECT * FROM \"%s\"%s", name,
		    strstr(ddl, "WITHOUT ROWID") ? "" : " ORDER BY rowid");
		cr_assert_eq(sqlite3_prepare_v2(h, sql, -1, &st, NULL),
		    SQLITE_OK);
		free(sql);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				const char *v = (const char *)
				    sqlite3_column_text(st, i);

				prev = out;
				xasprintf(&out, "%s|%s", prev, v ? v : "NULL");
				free(prev);
			}
		sqlite3_finalize(st);
	}
	sqlite3_finalize(tables);
	sqlite3_close(h);
	return out;
}

/* A caseload with pupils and notes enough for several chunks. */
static struct db *
caseload(int pupils)
{
	static const char *const surnames[] = {
		"Brown", "Ó Súilleabháin", "Nowak", "Nguyễn", "李", "Clarke",
	};
	static const char *const forenames[] = {
		"Zoë", "Siobhán", "Łukasz", "Minh", "Wei", "Amara",
	};
	struct db *db = th_db();
	struct serr e;

	for (int i = 0; i < pupils; i++) {
		int64_t id = th_pupil(db, i + 1, surnames[i % 6],
		    forenames[i % 6], i % 3 == 0 ? 'K' : 'N',
		    i % 3 == 0 ? "SLCN" : NULL, "4");
		struct note n;

		memset(&n, 0, sizeof n);
		n.pupil_id = id;
		n.on = SDATE_NONE;
		xasprintf(&n.text, "Met parents of pupil %d: agreed a reading "
		    "plan with the class teacher; next review after half term. "
		    "Pupil's voice: 'I like the quiet room.'", i);
		cr_assert_eq(note_add(db, &n, &e), 0, "%s", e.msg);
		free(n.text);
	}
	return db;
}

static void
backup(struct db *db, const char *dest, const char *pw_text,
    const struct vault_kdf *kdf)
{
	struct passphrase pw;
	struct serr e;

	pass(&pw, pw_text);
	cr_assert_eq(vault_backup(db, dest, &pw, kdf, &e), 0, "%s", e.msg);
	passphrase_free(&pw);
}

/* Restore expecting a refusal whose message contains `want`. */
static void
refused(const char *src, const char *dest, const char *pw_text,
    const char *want)
{
	struct passphrase pw;
	struct serr e;

	serr_clear(&e);
	pass(&pw, pw_text);
	cr_assert_neq(vault_restore(src, dest, &pw, &e), 0,
	    "restore of %s should be refused", src);
	passphrase_free(&pw);
	cr_assert(strstr(e.msg, want) != NULL, "message '%s' lacks '%s'",
	    e.msg, want);
	cr_assert(!exists(dest), "something was written at %s", dest);
}

static void
flip_byte(const char *path, off_t at)
{
	int fd = open(path, O_RDWR);
	unsigned char c;

	cr_assert(fd >= 0);
	cr_assert_eq(pread(fd, &c, 1, at), 1);
	c ^= 0x01;
	cr_assert_eq(pwrite(fd, &c, 1, at), 1);
	close(fd);
}

static void
set_byte(const char *path, off_t at, unsigned char c)
{
	int fd = open(path, O_RDWR);

	cr_assert(fd >= 0);
	cr_assert_eq(pwrite(fd, &c, 1, at), 1);
	close(fd);
}

static void
append(const char *path, const void *buf, size_t n)
{
	int fd = open(path, O_WRONLY | O_APPEND);

	cr_assert(fd >= 0);
	cr_assert_eq(write(fd, buf, n), (ssize_t)n);
	close(fd);
}

static bool
contains(const char *buf, size_t n, const char *what)
{
	size_t m = strlen(what);

	for (size_t i = 0; i + m <= n; i++)
		if (memcmp(buf + i, what, m) == 0)
			return true;
	return false;
}

/* --- round trips ------------------------------------------------------- */

Test(vault, round_trip_restores_the_same_caseload)
{
	struct db *db = caseload(40);
	const char *dir = th_tmpdir();
	char enc[300], out[300], *before, *after;

	snprintf(enc, sizeof enc, "%s/backup.enc", dir);
	snprintf(out, sizeof out, "%s/restored.db", dir);
	backup(db, enc, PASS, &fast);
	before = dump(db_path(db));
	db_close(db);

	{
		struct passphrase pw;
		struct serr e;

		pass(&pw, PASS);
		cr_assert_eq(vault_restore(enc, out, &pw, &e), 0, "%s", e.msg);
		passphrase_free(&pw);
	}
	after = dump(out);
	cr_assert(strlen(before) > 5000, "the dump is too small to mean much");
	cr_assert_str_eq(after, before);
	free(before);
	free(after);

	/* The restored file opens as a caseload, in WAL mode again. */
	cr_assert_eq(db_open(&db, out, 0, NULL), 0);
	db_close(db);
	{
		static const char *const keep[] = {
			"backup.enc", "restored.db", "restored.db-wal",
			"restored.db-shm",
		};

		cr_assert_eq(stray_files(dir, keep, 4), 0);
	}
}

Test(vault, ciphertext_shows_no_pupil_data)
{
	struct db *db = caseload(10);
	const char *enc = th_path("b.enc");
	FILE *fp;
	char *buf;
	long n;

	backup(db, enc, PASS, &fast);
	db_close(db);
	fp = fopen(enc, "rb");
	cr_assert_not_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = xmalloc((size_t)n);
	cr_assert_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	cr_assert_eq(memcmp(buf, VAULT_MAGIC, VAULT_MAGIC_LEN), 0);
	cr_assert(!contains(buf, (size_t)n, "Siobhán"));
	cr_assert(!contains(buf, (size_t)n, "SQLite format"));
	cr_assert(!contains(buf, (size_t)n, "quiet room"));
	free(buf);
}

Test(vault, files_are_private_under_umask_000)
{
	struct db *db = caseload(3);
	const char *dir = th_tmpdir();
	char enc[300], out[300];
	struct passphrase pw;
	struct serr e;
	mode_t old = umask(0);

	snprintf(enc, sizeof enc, "%s/b.enc", dir);
	snprintf(out, sizeof out, "%s/r.db", dir);
	backup(db, enc, PASS, &fast);
	pass(&pw, PASS);
	cr_assert_eq(vault_restore(enc, out, &pw, &e), 0, "%s", e.msg);
	passphrase_free(&pw);
	umask(old);
	cr_assert_eq(mode_of(enc), 0600);
	cr_assert_eq(mode_of(out), 0600);
	db_close(db);
}

Test(vault, snapshot_leaves_out_uncommitted_changes)
{
	struct db *db = caseload(2), *other;
	const char *enc = th_path("b.enc"), *out = th_path("r.db");
	struct passphrase pw;
	struct serr e;
	struct pupil p;

	cr_assert_eq(db_open(&other, db_path(db), 0, &e), 0, "%s", e.msg);
	cr_assert_eq(db_begin(other, &e), 0, "%s", e.msg);
	th_pupil(other, 500, "Uncommitted", "Ivo", 'N', NULL, "3");
	backup(db, enc, PASS, &fast);
	cr_assert_eq(db_commit(other, &e), 0, "%s", e.msg);
	db_close(other);
	db_close(db);

	pass(&pw, PASS);
	cr_assert_eq(vault_restore(enc, out, &pw, &e), 0, "%s", e.msg);
	passphrase_free(&pw);
	cr_assert_eq(db_open(&db, out, 0, &e), 0, "%s", e.msg);
	cr_assert_eq(pupil_find_upn(db, th_upn(1, p.upn), &p, &e), 0);
	cr_assert_eq(pupil_find_upn(db, th_upn(500, p.upn), &p, &e),
	    SE_NOTFOUND);
	db_close(db);
}

Test(vault, default_cost_is_recorded_and_used)
{
	struct db *db = caseload(1);
	const char *enc = th_path("b.enc"), *out = th_path("r.db");
	struct vault_kdf k, def;
	struct passphrase pw;
	struct serr e;

	backup(db, enc, PASS, NULL);
	db_close(db);
	vault_kdf_default(&def);
	cr_assert_eq(vault_peek_kdf(enc, &k, &e), 0, "%s", e.msg);
	cr_assert_eq(k.opslimit, def.opslimit);
	cr_assert_eq(k.memlimit, def.memlimit);
	cr_assert_geq(k.memlimit, (size_t)256 << 20);
	pass(&pw, PASS);
	cr_assert_eq(vault_restore(enc, out, &pw, &e), 0, "%s", e.msg);
	passphrase_free(&pw);
}

Test(vault, restore_uses_the_cost_in_the_header)
{
	static const struct vault_kdf other = { 2, 1 << 20 };
	struct db *db = caseload(1);
	const char *enc = th_path("b.enc"), *out = th_path("r.db");
	struct vault_kdf k;
	struct passphrase pw;
	struct serr e;

	backup(db, enc, PASS, &other);
	db_close(db);
	cr_assert_eq(vault_peek_kdf(enc, &k, &e), 0, "%s", e.msg);
	cr_assert_eq(k.opslimit, 2);
	cr_assert_eq(k.memlimit, (size_t)1 << 20);
	pass(&pw, PASS);
	cr_assert_eq(vault_restore(enc, out, &pw, &e), 0, "%s", e.msg);
	passphrase_free(&pw);
}

/* --- refusals ----------------------------------------------------------- */

Test(vault, wrong_passphrase_is_refused)
{
	struct db *db = caseload(3);
	const char *dir = th_tmpdir();
	char enc[300], out[300];
	static const char *const keep[] = { "b.enc" };

	snprintf(enc, sizeof enc, "%s/b.enc", dir);
	snprintf(out, sizeof out, "%s/r.db", dir);
	backup(db, enc, PASS, &fast);
	db_close(db);
	refused(enc, out, "Siobhán's correct horse battery 李 ",
	    "wrong passphrase or damaged backup");
	refused(enc, out, "x", "wrong passphrase or damaged backup");
	cr_assert_eq(stray_files(dir, keep, 1), 0);
}

Test(vault, empty_passphrase_is_refused)
{
	struct passphrase pw = { NULL, 0 };
	struct serr e;
	struct db *db = caseload(1);
	const char *enc = th_path("b.enc");

	cr_assert_eq(passphrase_set(&pw, "", 0, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "empty") != NULL, "%s", e.msg);
	cr_assert_null(pw.s);
	/* And an empty one handed straight to the encryption. */
	cr_assert_eq(vault_backup(db, enc, &pw, &fast, &e), SE_INVALID);
	cr_assert(!exists(enc));
	db_close(db);
}

Test(vault, refuses_to_overwrite)
{
	struct db *db = caseload(2);
	const char *dir = th_tmpdir();
	char enc[300], out[300];
	struct passphrase pw;
	struct serr e;

	snprintf(enc, sizeof enc, "%s/b.enc", dir);
	snprintf(out, sizeof out, "%s/r.db", dir);
	backup(db, enc, PASS, &fast);
	pass(&pw, PASS);
	cr_assert_eq(vault_backup(db, enc, &pw, &fast, &e), SE_EXISTS);
	cr_assert(strstr(e.msg, "will not overwrite") != NULL, "%s", e.msg);

	/* An existing destination of a restore stays as it was. */
	FILE *fp = fopen(out, "w");
	fputs("precious", fp);
	fclose(fp);
	cr_assert_eq(vault_restore(enc, out, &pw, &e), SE_EXISTS);
	cr_assert_eq(size_of(out), 8);
	passphrase_free(&pw);
	db_close(db);
	{
		static const char *const keep[] = { "b.enc", "r.db" };

		cr_assert_eq(stray_files(dir, keep, 2), 0);
	}
}

Test(vault, not_a_backup_is_refused)
{
	struct db *db = caseload(1);
	const char *junk = th_path("junk.enc"), *out = th_path("r.db");
	FILE *fp;

	refused(th_path("none.enc"), out, PASS, "No such file");
	/* A plain caseload copy. */
	refused(db_path(db), out, PASS, "not encrypted: this is a plain copy");
	db_close(db);
	fp = fopen(junk, "w");
	fputs("hello, this is not a backup at all, not even close", fp);
	fclose(fp);
	refused(junk, out, PASS, "not an encrypted senco backup");
	fp = fopen(junk, "w");
	fclose(fp);
	refused(junk, out, PASS, "not an encrypted senco backup");
}

Test(vault, an_encrypted_file_that_is_no_caseload_is_refused)
{
	const char *dir = th_tmpdir();
	char enc[300], out[300], other[300];
	struct passphrase pw;
	struct serr e;
	unsigned char junk[5000];
	sqlite3 *h;
	FILE *fp;
	char *img;
	long n;

	snprintf(enc, sizeof enc, "%s/a.enc", dir);
	snprintf(out, sizeof out, "%s/r.db", dir);
	for (size_t i = 0; i < sizeof junk; i++)
		junk[i] = (unsigned char)(i * 7);
	pass(&pw, PASS);
	cr_assert_eq(vault_encrypt(junk, sizeof junk, enc, &pw, &fast, &e), 0,
	    "%s", e.msg);
	refused(enc, out, PASS, "does not hold a caseload");

	/* A sound SQLite file of another program. */
	snprintf(other, sizeof other, "%s/other.db", dir);
	cr_assert_eq(sqlite3_open(other, &h), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(h, "CREATE TABLE t(x); INSERT INTO t "
	    "VALUES (1); PRAGMA user_version = 1;", NULL, NULL, NULL),
	    SQLITE_OK);
	sqlite3_close(h);
	fp = fopen(other, "rb");
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	img = xmalloc((size_t)n);
	cr_assert_eq(fread(img, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	snprintf(enc, sizeof enc, "%s/b.enc", dir);
	cr_assert_eq(vault_encrypt(img, (size_t)n, enc, &pw, &fast, &e), 0);
	free(img);
	refused(enc, out, PASS, "not a senco caseload");
	passphrase_free(&pw);
}

/*
 * Tampering, on a file of known layout: 3.5 chunks of data, so the
 * chunks are 0, 1, 2 (full) and 3 (half, TAG_FINAL).
 */
#define TAMPER_SIZE (3 * VAULT_CHUNK + VAULT_CHUNK / 2)
#define CT_CHUNK (VAULT_CHUNK + 17)

static unsigned char *
tamper_data(size_t n)
{
	unsigned char *d = xmalloc(n);

	for (size_t i = 0; i < n; i++)
		d[i] = (unsigned char)(i * 31 + (i >> 9));
	return d;
}

/* Encrypt n bytes to a fresh file (the same path each time within a
 * test); returns its path. */
static const char *
sealed(size_t n)
{
	static char enc[300];
	unsigned char *d = tamper_data(n);
	struct passphrase pw;
	struct serr e;

	if (enc[0] == '\0')
		snprintf(enc, sizeof enc, "%s/t.enc", th_tmpdir());
	unlink(enc);

	pass(&pw, PASS);
	cr_assert_eq(vault_encrypt(d, n, enc, &pw, &fast, &e), 0, "%s", e.msg);
	passphrase_free(&pw);
	free(d);
	/* Whole chunks, the last possibly short, each 17 bytes longer. */
	cr_assert_eq(size_of(enc), (off_t)(VAULT_HEADER_LEN + n + 17 *
	    ((n + VAULT_CHUNK - 1) / VAULT_CHUNK)));
	return enc;
}

static void
decrypt_refused(const char *enc, const char *want)
{
	struct passphrase pw;
	struct serr e;
	unsigned char *out = (unsigned char *)"x";
	size_t n = 1;

	serr_clear(&e);
	pass(&pw, PASS);
	cr_assert_neq(vault_decrypt(enc, &pw, &out, &n, &e), 0,
	    "tampered %s was accepted", enc);
	passphrase_free(&pw);
	cr_assert_null(out);
	cr_assert_eq(n, 0);
	cr_assert(strstr(e.msg, want) != NULL, "message '%s' lacks '%s'",
	    e.msg, want);
}

Test(vault, untampered_file_decrypts)
{
	const char *enc = sealed(TAMPER_SIZE);
	unsigned char *want = tamper_data(TAMPER_SIZE), *out;
	struct passphrase pw;
	struct serr e;
	size_t n;

	pass(&pw, PASS);
	cr_assert_eq(vault_decrypt(enc, &pw, &out, &n, &e), 0, "%s", e.msg);
	passphrase_free(&pw);
	cr_assert_eq(n, TAMPER_SIZE);
	cr_assert_eq(memcmp(out, want, n), 0);
	vault_plain_free(out, n);
	free(want);
}

Test(vault, a_flipped_header_byte_is_refused)
{
	/* Every byte of the header: magic, version, algorithm, chunk size,
	 * cost, salt and secretstream header. */
	for (int at = 0; at < VAULT_HEADER_LEN; at++) {
		const char *enc = sealed(VAULT_CHUNK + 10);

		flip_byte(enc, at);
		decrypt_refused(enc, at < VAULT_MAGIC_LEN ? "not an encrypted "
		    "senco backup" : at < 10 ? "format" : "");
	}
}

Test(vault, header_changes_read_as_wrong_passphrase_or_damage)
{
	const char *enc = sealed(TAMPER_SIZE);

	flip_byte(enc, 40);	/* the salt: another key */
	decrypt_refused(enc, "wrong passphrase or damaged backup");
	enc = sealed(TAMPER_SIZE);
	flip_byte(enc, 60);	/* the secretstream header */
	decrypt_refused(enc, "wrong passphrase or damaged backup");
	enc = sealed(TAMPER_SIZE);
	set_byte(enc, 16, 2);	/* opslimit 1 -> 2: still in range */
	decrypt_refused(enc, "wrong passphrase or damaged backup");
	enc = sealed(TAMPER_SIZE);
	flip_byte(enc, 12);	/* the chunk size, odd but in range */
	decrypt_refused(enc, "wrong passphrase or damaged backup");
}

Test(vault, a_flipped_byte_in_a_chunk_is_refused)
{
	const char *enc = sealed(TAMPER_SIZE);

	flip_byte(enc, VAULT_HEADER_LEN + 5);	/* first chunk */
	decrypt_refused(enc, "wrong passphrase or damaged backup");
	enc = sealed(TAMPER_SIZE);
	flip_byte(enc, VAULT_HEADER_LEN + CT_CHUNK + CT_CHUNK / 2);
	decrypt_refused(enc, "damaged backup: part 2");
	enc = sealed(TAMPER_SIZE);
	flip_byte(enc, size_of(enc) - 1);	/* last chunk's tag */
	decrypt_refused(enc, "damaged backup: part 4");
	enc = sealed(TAMPER_SIZE);
	flip_byte(enc, size_of(enc) - 100);	/* last chunk's text */
	decrypt_refused(enc, "damaged backup: part 4");
}

Test(vault, truncation_is_refused)
{
	const char *enc = sealed(TAMPER_SIZE);
	off_t full = size_of(enc);

	/* At a chunk boundary: every chunk authenticates, no TAG_FINAL. */
	cr_assert_eq(truncate(enc, VAULT_HEADER_LEN + 3 * CT_CHUNK), 0);
	decrypt_refused(enc, "truncated backup: its end is missing");
	cr_assert_eq(truncate(enc, VAULT_HEADER_LEN + CT_CHUNK), 0);
	decrypt_refused(enc, "truncated backup");
	cr_assert_eq(truncate(enc, VAULT_HEADER_LEN), 0);
	decrypt_refused(enc, "truncated backup");
	cr_assert_eq(truncate(enc, 30), 0);
	decrypt_refused(enc, "truncated backup: the header is cut short");

	/* Inside the last chunk, and inside a middle one. */
	enc = sealed(TAMPER_SIZE);
	cr_assert_eq(truncate(enc, full - 1), 0);
	decrypt_refused(enc, "damaged backup: part 4");
	enc = sealed(TAMPER_SIZE);
	cr_assert_eq(truncate(enc, VAULT_HEADER_LEN + CT_CHUNK + 100), 0);
	decrypt_refused(enc, "damaged backup: part 2");
	enc = sealed(TAMPER_SIZE);
	cr_assert_eq(truncate(enc, VAULT_HEADER_LEN + 3 * CT_CHUNK + 5), 0);
	decrypt_refused(enc, "damaged backup: part 4");
}

Test(vault, extension_is_refused)
{
	const char *enc = sealed(TAMPER_SIZE);
	unsigned char extra[CT_CHUNK];

	append(enc, "x", 1);		/* into the short last chunk */
	decrypt_refused(enc, "damaged backup: part 4");

	/* After a full final chunk, a whole copy of a chunk. */
	enc = sealed(2 * VAULT_CHUNK);
	{
		int fd = open(enc, O_RDONLY);

		cr_assert_eq(pread(fd, extra, CT_CHUNK, VAULT_HEADER_LEN),
		    CT_CHUNK);
		close(fd);
	}
	append(enc, extra, CT_CHUNK);
	decrypt_refused(enc, "there is data after its end");
	enc = sealed(2 * VAULT_CHUNK);
	append(enc, "\0", 1);
	decrypt_refused(enc, "there is data after its end");
}

Test(vault, reordered_or_dropped_chunks_are_refused)
{
	const char *enc = sealed(TAMPER_SIZE);
	unsigned char *a = xmalloc(CT_CHUNK), *b = xmalloc(CT_CHUNK);
	int fd = open(enc, O_RDWR);
	off_t c1 = VAULT_HEADER_LEN + CT_CHUNK, c2 = c1 + CT_CHUNK;
	char *rest;

	cr_assert_eq(pread(fd, a, CT_CHUNK, c1), CT_CHUNK);
	cr_assert_eq(pread(fd, b, CT_CHUNK, c2), CT_CHUNK);
	cr_assert_eq(pwrite(fd, b, CT_CHUNK, c1), CT_CHUNK);
	cr_assert_eq(pwrite(fd, a, CT_CHUNK, c2), CT_CHUNK);
	close(fd);
	decrypt_refused(enc, "damaged backup: part 2");

	/* Chunk 1 cut out: the rest moves up. */
	enc = sealed(TAMPER_SIZE);
	fd = open(enc, O_RDWR);
	{
		off_t size = size_of(enc);
		size_t tail = (size_t)(size - c2);

		rest = xmalloc(tail);
		cr_assert_eq(pread(fd, rest, tail, c2), (ssize_t)tail);
		cr_assert_eq(pwrite(fd, rest, tail, c1), (ssize_t)tail);
		cr_assert_eq(ftruncate(fd, size - CT_CHUNK), 0);
	}
	close(fd);
	decrypt_refused(enc, "damaged backup: part 2");
	free(a);
	free(b);
	free(rest);
}

Test(vault, tampered_backup_writes_nothing_at_the_destination)
{
	struct db *db = caseload(120);
	const char *dir = th_tmpdir();
	char enc[300], out[300];
	static const char *const keep[] = { "b.enc" };

	snprintf(enc, sizeof enc, "%s/b.enc", dir);
	snprintf(out, sizeof out, "%s/r.db", dir);
	backup(db, enc, PASS, &fast);
	db_close(db);
	cr_assert_gt(size_of(enc), VAULT_HEADER_LEN + 2 * CT_CHUNK,
	    "want a backup of several chunks");
	flip_byte(enc, VAULT_HEADER_LEN + CT_CHUNK + 3);
	refused(enc, out, PASS, "damaged backup: part 2");
	flip_byte(enc, VAULT_HEADER_LEN + CT_CHUNK + 3);
	cr_assert_eq(truncate(enc, size_of(enc) - 1), 0);
	refused(enc, out, PASS, "damaged backup");
	cr_assert_eq(stray_files(dir, keep, 1), 0);
}

Test(vault, empty_input_round_trips)
{
	const char *enc = th_path("e.enc");
	struct passphrase pw;
	struct serr e;
	unsigned char *out;
	size_t n;

	pass(&pw, PASS);
	cr_assert_eq(vault_encrypt("", 0, enc, &pw, &fast, &e), 0, "%s", e.msg);
	cr_assert_eq(size_of(enc), VAULT_HEADER_LEN + 17);
	cr_assert_eq(vault_decrypt(enc, &pw, &out, &n, &e), 0, "%s", e.msg);
	cr_assert_eq(n, 0);
	vault_plain_free(out, n);
	passphrase_free(&pw);
}

/* --- passphrases from a file descriptor ------------------------------------ */

static int
pipe_with(const char *text, size_t n)
{
	int p[2];

	cr_assert_eq(pipe(p), 0);
	cr_assert_eq(write(p[1], text, n), (ssize_t)n);
	close(p[1]);
	return p[0];
}

Test(vault, passphrase_from_fd_is_its_first_line)
{
	struct passphrase pw;
	struct serr e;
	int fd = pipe_with("Zoë's phrase\nsecond line\n", 26);
	char rest[32];

	cr_assert_eq(passphrase_read_fd(&pw, fd, &e), 0, "%s", e.msg);
	cr_assert_str_eq(pw.s, "Zoë's phrase");
	cr_assert_eq(pw.len, strlen("Zoë's phrase"));
	passphrase_free(&pw);
	cr_assert_null(pw.s);
	/* Nothing after the line was taken. */
	cr_assert_eq(read(fd, rest, sizeof rest), 12);
	close(fd);

	fd = pipe_with("windows\r\n", 9);
	cr_assert_eq(passphrase_read_fd(&pw, fd, &e), 0, "%s", e.msg);
	cr_assert_str_eq(pw.s, "windows");
	passphrase_free(&pw);
	close(fd);

	fd = pipe_with("no newline", 10);
	cr_assert_eq(passphrase_read_fd(&pw, fd, &e), 0, "%s", e.msg);
	cr_assert_str_eq(pw.s, "no newline");
	passphrase_free(&pw);
	close(fd);
}

Test(vault, bad_passphrase_fd_input_is_refused)
{
	struct passphrase pw;
	struct serr e;
	char *big = xmalloc(PASSPHRASE_MAX + 10);
	int fd;

	fd = pipe_with("\nsecret", 7);
	cr_assert_eq(passphrase_read_fd(&pw, fd, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "empty") != NULL, "%s", e.msg);
	cr_assert_null(pw.s);
	close(fd);

	fd = pipe_with("", 0);
	cr_assert_eq(passphrase_read_fd(&pw, fd, &e), SE_INVALID);
	close(fd);

	memset(big, 'a', PASSPHRASE_MAX + 9);
	big[PASSPHRASE_MAX + 9] = '\n';
	fd = pipe_with(big, PASSPHRASE_MAX + 10);
	cr_assert_eq(passphrase_read_fd(&pw, fd, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "longer than") != NULL, "%s", e.msg);
	cr_assert_null(pw.s);
	close(fd);
	free(big);

	cr_assert_eq(passphrase_read_fd(&pw, 987, &e), SE_INVALID);
	cr_assert(strstr(e.msg, "not open") != NULL, "%s", e.msg);
}
