/*
 * vault.c: passphrase-encrypted backups (the format is described in
 * vault.h). Argon2id and secretstream come from libsodium; this file only
 * frames them, and makes sure nothing unencrypted or half-written is left
 * behind (passphrase.c reads the passphrase).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "vault.h"
#include "xmalloc.h"

#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_KEYBYTES crypto_secretstream_xchacha20poly1305_KEYBYTES
#define SS_HEADERBYTES crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_TAG_FINAL crypto_secretstream_xchacha20poly1305_TAG_FINAL
#define SS_TAG_MESSAGE crypto_secretstream_xchacha20poly1305_TAG_MESSAGE

/* Header field offsets (vault.h). */
#define H_VERSION 8
#define H_ALG 10
#define H_CHUNK 12
#define H_OPS 16
#define H_MEM 24
#define H_SALT 32
#define H_SS 48

/* Chunk sizes a reader accepts: the header is read before it can be
 * authenticated, so nothing in it may make senco allocate without bound. */
#define CHUNK_MIN 1024
#define CHUNK_MAX (16 * 1024 * 1024)
/* The most Argon2id cost a reader accepts: four times libsodium's
 * SENSITIVE passes and its memory (1 GiB). More is a damaged file, not a
 * reason to exhaust the machine. */
#define OPS_MAX (4 * (unsigned long long)crypto_pwhash_OPSLIMIT_SENSITIVE)
#define MEM_MAX ((size_t)crypto_pwhash_MEMLIMIT_SENSITIVE)

/* SQLite file header bytes 18 and 19: 1 rollback journal, 2 WAL. */
#define SQLITE_WRITE_VERSION 18
#define SQLITE_READ_VERSION 19

#if H_SS + 24 != VAULT_HEADER_LEN || 24 != SS_HEADERBYTES
#error "vault header layout does not match libsodium"
#endif

int
vault_init(struct serr *e)
{
	if (sodium_init() < 0)
		return serr_set(e, SE_IO, "encryption: libsodium could not "
		    "start (no source of randomness?)");
	return 0;
}

void
vault_kdf_default(struct vault_kdf *k)
{
	/* MODERATE, not INTERACTIVE: an encrypted backup is made to be
	 * carried away (a memory stick, another site), where it can be
	 * attacked offline for as long as anyone likes, while a person
	 * makes one a few times a term and can wait a second or two. */
	k->opslimit = crypto_pwhash_OPSLIMIT_MODERATE;
	k->memlimit = crypto_pwhash_MEMLIMIT_MODERATE;
}

static bool
kdf_in_range(unsigned long long ops, unsigned long long mem)
{
	return ops >= crypto_pwhash_argon2id_OPSLIMIT_MIN && ops <= OPS_MAX &&
	    mem >= crypto_pwhash_argon2id_MEMLIMIT_MIN && mem <= MEM_MAX;
}

/* --- little-endian fields ------------------------------------------------ */

static void
put_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t
get_le(const unsigned char *p, int n)
{
	uint64_t v = 0;

	for (int i = n - 1; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* --- files ----------------------------------------------------------------- */

static int
write_all(int fd, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* Read up to n bytes, stopping early only at end of file. Returns the
 * count or -1. */
static ssize_t
read_full(int fd, void *buf, size_t n)
{
	unsigned char *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

static int
refuse_existing(const char *dest, struct serr *e)
{
	struct stat sb;

	if (lstat(dest, &sb) == 0)
		return serr_set(e, SE_EXISTS, "%s: a file is already there; "
		    "senco will not overwrite it", dest);
	if (errno != ENOENT)
		return serr_set(e, SE_IO, "%s: %s", dest, strerror(errno));
	return 0;
}

/* Flush the directory holding path, so a new name survives a power cut. */
static void
sync_dir_of(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');
	int fd;

	if (slash == NULL)
		strcpy(dir, ".");
	else if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(dir);
}

/* A new private file beside dest to write into: *tmp (caller frees) is
 * its name. Returns the descriptor or a negative SE_ code. */
static int
open_temp(const char *dest, char **tmp, struct serr *e)
{
	int fd;

	xasprintf(tmp, "%s.tmp-XXXXXX", dest);
	/* mkstemp opens with O_CREAT | O_EXCL and mode 0600. */
	fd = mkstemp(*tmp);
	if (fd < 0) {
		int ret = serr_set(e, SE_IO, "%s: cannot create: %s", dest,
		    strerror(errno));

		free(*tmp);
		*tmp = NULL;
		return ret;
	}
	fchmod(fd, 0600);
	return fd;
}

/* Put the finished temp file at dest without ever replacing a file
 * there: link() fails if dest exists. File systems without hard links
 * (FAT memory sticks) get a checked rename instead. The temp name goes
 * in every case. */
static int
commit_temp(const char *tmp, const char *dest, struct serr *e)
{
	int ret = 0;

	if (link(tmp, dest) == 0)
		unlink(tmp);
	else if (errno == EEXIST)
		ret = serr_set(e, SE_EXISTS, "%s: a file is already there; "
		    "senco will not overwrite it", dest);
	else if ((ret = refuse_existing(dest, e)) == 0 &&
	    rename(tmp, dest) != 0)
		ret = serr_set(e, SE_IO, "%s: cannot create: %s", dest,
		    strerror(errno));
	if (ret != 0) {
		unlink(tmp);
		return ret;
	}
	sync_dir_of(dest);
	return 0;
}

/* --- encryption ------------------------------------------------------------ */

/* The key for pw and the header's salt and cost, in locked memory the
 * caller frees with sodium_free. NULL with e filled on failure. */
static unsigned char *
derive_key(const struct passphrase *pw, const unsigned char *salt,
    unsigned long long ops, size_t mem, struct serr *e)
{
	unsigned char *key = sodium_malloc(SS_KEYBYTES);

	if (key == NULL) {
		serr_set(e, SE_IO, "encryption: cannot allocate locked memory");
		return NULL;
	}
	if (crypto_pwhash(key, SS_KEYBYTES, pw->s, pw->len, salt, ops, mem,
	    crypto_pwhash_ALG_ARGON2ID13) != 0) {
		sodium_free(key);
		serr_set(e, SE_IO, "encryption: deriving the key needs %zu MiB "
		    "of memory, which is not available", mem >> 20);
		return NULL;
	}
	return key;
}

int
vault_encrypt(const void *data, size_t n, const char *dest,
    const struct passphrase *pw, const struct vault_kdf *kdf,
    struct serr *e)
{
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char hdr[VAULT_HEADER_LEN], *key = NULL, *cbuf = NULL;
	const unsigned char *in = data;
	struct vault_kdf k;
	char *tmp = NULL;
	size_t off = 0;
	int fd = -1, ret;

	if ((ret = vault_init(e)) != 0)
		return ret;
	if (pw == NULL || pw->s == NULL || pw->len == 0)
		return serr_set(e, SE_INVALID, "passphrase: an empty "
		    "passphrase is not allowed");
	if (kdf == NULL)
		vault_kdf_default(&k);
	else
		k = *kdf;
	if (!kdf_in_range(k.opslimit, k.memlimit))
		return serr_set(e, SE_INVALID, "encryption: Argon2id cost out "
		    "of range");
	if ((ret = refuse_existing(dest, e)) != 0)
		return ret;

	memset(hdr, 0, sizeof hdr);
	memcpy(hdr, VAULT_MAGIC, VAULT_MAGIC_LEN);
	put_le(hdr + H_VERSION, VAULT_FORMAT, 2);
	put_le(hdr + H_ALG, crypto_pwhash_ALG_ARGON2ID13, 2);
	put_le(hdr + H_CHUNK, VAULT_CHUNK, 4);
	put_le(hdr + H_OPS, k.opslimit, 8);
	put_le(hdr + H_MEM, k.memlimit, 8);
	randombytes_buf(hdr + H_SALT, crypto_pwhash_SALTBYTES);
	if ((key = derive_key(pw, hdr + H_SALT, k.opslimit, k.memlimit,
	    e)) == NULL)
		return e != NULL ? e->code : SE_IO;
	crypto_secretstream_xchacha20poly1305_init_push(&st, hdr + H_SS, key);
	sodium_free(key);

	if ((fd = open_temp(dest, &tmp, e)) < 0) {
		ret = fd;
		goto out;
	}
	if (write_all(fd, hdr, sizeof hdr) != 0)
		goto io_fail;
	cbuf = xmalloc(VAULT_CHUNK + SS_ABYTES);
	/* An empty input still gets its one (empty) final chunk. */
	do {
		size_t m = n - off > VAULT_CHUNK ? VAULT_CHUNK : n - off;
		bool last = off + m == n;
		unsigned long long clen;

		crypto_secretstream_xchacha20poly1305_push(&st, cbuf, &clen,
		    in + off, m, off == 0 ? hdr : NULL, off == 0 ?
		    sizeof hdr : 0, last ? SS_TAG_FINAL : SS_TAG_MESSAGE);
		if (write_all(fd, cbuf, (size_t)clen) != 0)
			goto io_fail;
		off += m;
	} while (off < n);
	if (fsync(fd) != 0)
		goto io_fail;
	if (close(fd) != 0) {
		fd = -1;
		goto io_fail;
	}
	fd = -1;
	ret = commit_temp(tmp, dest, e);
	free(tmp);
	tmp = NULL;
	goto out;
io_fail:
	ret = serr_set(e, errno == ENOSPC ? SE_FULL : SE_IO, "%s: cannot "
	    "write: %s", dest, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	free(cbuf);
	sodium_memzero(&st, sizeof st);
	return ret;
}

void
vault_plain_free(unsigned char *p, size_t n)
{
	if (p == NULL)
		return;
	sodium_memzero(p, n);
	free(p);
}

/* Open src and check its header; fd and hdr are filled on success. */
static int
open_header(const char *src, int *fdp, unsigned char *hdr, off_t *size,
    struct serr *e)
{
	struct stat sb;
	ssize_t got;
	int fd;

	*fdp = -1;
	fd = open(src, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return serr_set(e, errno == ENOENT ? SE_NOTFOUND : SE_IO,
		    "%s: %s", src, strerror(errno));
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return serr_set(e, SE_INVALID, "%s: not a regular file", src);
	}
	got = read_full(fd, hdr, VAULT_HEADER_LEN);
	if (got < 0) {
		close(fd);
		return serr_set(e, SE_IO, "%s: %s", src, strerror(errno));
	}
	if (got >= VAULT_MAGIC_LEN && memcmp(hdr, VAULT_MAGIC,
	    VAULT_MAGIC_LEN) == 0 && got < VAULT_HEADER_LEN) {
		close(fd);
		return serr_set(e, SE_INVALID, "%s: truncated backup: the "
		    "header is cut short", src);
	}
	if (got < VAULT_MAGIC_LEN || memcmp(hdr, VAULT_MAGIC,
	    VAULT_MAGIC_LEN) != 0) {
		close(fd);
		if (got >= 16 && memcmp(hdr, "SQLite format 3", 16) == 0)
			return serr_set(e, SE_INVALID, "%s: not encrypted: "
			    "this is a plain copy of a caseload (open it "
			    "with --db, or copy it)", src);
		return serr_set(e, SE_INVALID, "%s: not an encrypted senco "
		    "backup", src);
	}
	if (get_le(hdr + H_VERSION, 2) != VAULT_FORMAT) {
		close(fd);
		return serr_set(e, SE_INVALID, "%s: an encrypted backup of "
		    "format %u, which this senco cannot read (it reads "
		    "format %d); damaged, or made by a newer senco", src,
		    (unsigned)get_le(hdr + H_VERSION, 2), VAULT_FORMAT);
	}
	if (get_le(hdr + H_ALG, 2) != crypto_pwhash_ALG_ARGON2ID13 ||
	    get_le(hdr + H_CHUNK, 4) < CHUNK_MIN ||
	    get_le(hdr + H_CHUNK, 4) > CHUNK_MAX ||
	    !kdf_in_range(get_le(hdr + H_OPS, 8), get_le(hdr + H_MEM, 8))) {
		close(fd);
		return serr_set(e, SE_INVALID, "%s: damaged backup: its "
		    "header makes no sense", src);
	}
	*fdp = fd;
	*size = sb.st_size;
	return 0;
}

int
vault_peek_kdf(const char *src, struct vault_kdf *k, struct serr *e)
{
	unsigned char hdr[VAULT_HEADER_LEN];
	off_t size;
	int fd, ret;

	if ((ret = open_header(src, &fd, hdr, &size, e)) != 0)
		return ret;
	close(fd);
	k->opslimit = get_le(hdr + H_OPS, 8);
	k->memlimit = (size_t)get_le(hdr + H_MEM, 8);
	return 0;
}

int
vault_decrypt(const char *src, const struct passphrase *pw,
    unsigned char **out, size_t *outlen, struct serr *e)
{
	crypto_secretstream_xchacha20poly1305_state st;
	unsigned char hdr[VAULT_HEADER_LEN], *key, *cbuf = NULL, *plain = NULL;
	size_t chunk, cap = 0, len = 0;
	bool final = false;
	off_t size;
	int fd = -1, ret, part = 0;

	*out = NULL;
	*outlen = 0;
	if ((ret = vault_init(e)) != 0)
		return ret;
	if (pw == NULL || pw->s == NULL || pw->len == 0)
		return serr_set(e, SE_INVALID, "passphrase: an empty "
		    "passphrase is not allowed");
	if ((ret = open_header(src, &fd, hdr, &size, e)) != 0)
		return ret;
	chunk = (size_t)get_le(hdr + H_CHUNK, 4);
	if ((key = derive_key(pw, hdr + H_SALT, get_le(hdr + H_OPS, 8),
	    (size_t)get_le(hdr + H_MEM, 8), e)) == NULL) {
		ret = e != NULL ? e->code : SE_IO;
		goto out;
	}
	ret = crypto_secretstream_xchacha20poly1305_init_pull(&st, hdr + H_SS,
	    key);
	sodium_free(key);
	if (ret != 0) {
		ret = serr_set(e, SE_INVALID, "%s: wrong passphrase or damaged "
		    "backup", src);
		goto out;
	}

	/* The plaintext is never longer than the file. */
	cap = size > VAULT_HEADER_LEN ? (size_t)size - VAULT_HEADER_LEN : 1;
	plain = xmalloc(cap);
	cbuf = xmalloc(chunk + SS_ABYTES);
	for (;;) {
		ssize_t got = read_full(fd, cbuf, chunk + SS_ABYTES);
		unsigned long long mlen;
		unsigned char tag;

		if (got < 0) {
			ret = serr_set(e, SE_IO, "%s: %s", src,
			    strerror(errno));
			goto out;
		}
		if (got == 0)
			break;
		if (final) {
			ret = serr_set(e, SE_INVALID, "%s: damaged backup: "
			    "there is data after its end", src);
			goto out;
		}
		if ((size_t)got < SS_ABYTES || len + (size_t)got - SS_ABYTES >
		    cap || crypto_secretstream_xchacha20poly1305_pull(&st,
		    plain + len, &mlen, &tag, cbuf, (unsigned long long)got,
		    part == 0 ? hdr : NULL, part == 0 ? sizeof hdr : 0) != 0) {
			/* The first chunk is also where a wrong key shows:
			 * the two cannot be told apart. */
			if (part == 0)
				ret = serr_set(e, SE_INVALID, "%s: wrong "
				    "passphrase or damaged backup", src);
			else
				ret = serr_set(e, SE_INVALID, "%s: damaged "
				    "backup: part %d of it was changed or cut "
				    "short", src, part + 1);
			goto out;
		}
		len += (size_t)mlen;
		part++;
		if (tag == SS_TAG_FINAL)
			final = true;
		else if (tag != SS_TAG_MESSAGE ||
		    (size_t)got < chunk + SS_ABYTES) {
			/* Only the last chunk may be short. */
			ret = serr_set(e, SE_INVALID, "%s: damaged backup: "
			    "part %d is not as senco writes it", src, part);
			goto out;
		}
	}
	if (!final) {
		ret = serr_set(e, SE_INVALID, "%s: truncated backup: its end "
		    "is missing", src);
		goto out;
	}
	*out = plain;
	*outlen = len;
	plain = NULL;
	ret = 0;
out:
	if (fd >= 0)
		close(fd);
	free(cbuf);
	vault_plain_free(plain, cap);
	sodium_memzero(&st, sizeof st);
	return ret;
}

/* --- the caseload ------------------------------------------------------ */

int
vault_backup(struct db *db, const char *dest, const struct passphrase *pw,
    const struct vault_kdf *kdf, struct serr *e)
{
	sqlite3_int64 n = 0;
	unsigned char *img;
	int ret;

	if ((ret = vault_init(e)) != 0)
		return ret;
	if ((ret = refuse_existing(dest, e)) != 0)
		return ret;
	/*
	 * The snapshot goes to memory, not a temporary file: a plaintext
	 * copy on disk would outlive a kill -9 or a power cut, and on a
	 * memory stick even its deleted blocks can be read back. SQLite
	 * copies the pages inside one read transaction, so the image is
	 * consistent while others write (WAL readers never block them).
	 */
	img = sqlite3_serialize(db_handle(db), "main", &n, 0);
	if (img == NULL || n < 100)
		return serr_set(e, SE_DB, "%s: cannot take a snapshot of the "
		    "caseload: %s", dest, img == NULL ?
		    sqlite3_errmsg(db_handle(db)) : "it is empty");
	/* The image says WAL, but the restored file comes without its -wal:
	 * mark it as a plain rollback-journal database, as db_backup does. */
	img[SQLITE_WRITE_VERSION] = 1;
	img[SQLITE_READ_VERSION] = 1;
	ret = vault_encrypt(img, (size_t)n, dest, pw, kdf, e);
	sodium_memzero(img, (size_t)n);
	sqlite3_free(img);
	return ret;
}

/* Is the image a senco caseload that SQLite finds sound? */
static int
check_image(unsigned char *img, size_t n, const char *src, struct serr *e)
{
	sqlite3 *h = NULL;
	sqlite3_stmt *st = NULL;
	int rc, ret = 0, appid = 0, version = 0;
	const char *msg;

	if (sqlite3_open_v2(":memory:", &h, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK) {
		ret = serr_set(e, SE_DB, "%s: cannot check the backup", src);
		goto out;
	}
	/* Read-only and without FREEONCLOSE: SQLite reads our buffer in
	 * place and never frees or grows it. */
	rc = sqlite3_deserialize(h, "main", img, (sqlite3_int64)n,
	    (sqlite3_int64)n, SQLITE_DESERIALIZE_READONLY);
	if (rc != SQLITE_OK) {
		ret = serr_set(e, SE_INVALID, "%s: the backup does not hold a "
		    "caseload", src);
		goto out;
	}
	rc = sqlite3_prepare_v2(h, "SELECT (SELECT application_id FROM "
	    "pragma_application_id), (SELECT user_version FROM "
	    "pragma_user_version)", -1, &st, NULL);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW) {
		ret = serr_set(e, SE_INVALID, "%s: the backup does not hold a "
		    "caseload (%s)", src, sqlite3_errmsg(h));
		goto out;
	}
	appid = sqlite3_column_int(st, 0);
	version = sqlite3_column_int(st, 1);
	sqlite3_finalize(st);
	st = NULL;
	if (appid != DB_APPLICATION_ID || version < 1) {
		ret = serr_set(e, SE_INVALID, "%s: the backup holds a SQLite "
		    "file that is not a senco caseload", src);
		goto out;
	}
	if (version > DB_SCHEMA_VERSION) {
		ret = serr_set(e, SE_SCHEMA, "%s: the backup was made by a "
		    "newer senco (schema %d; this senco knows up to %d): "
		    "upgrade senco", src, version, DB_SCHEMA_VERSION);
		goto out;
	}
	rc = sqlite3_prepare_v2(h, "PRAGMA integrity_check", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	msg = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) :
	    NULL;
	if (msg == NULL || strcmp(msg, "ok") != 0) {
		ret = serr_set(e, SE_DB, "%s: the caseload in the backup fails "
		    "SQLite's integrity check: %s", src, msg != NULL ? msg :
		    sqlite3_errmsg(h));
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	rc = sqlite3_prepare_v2(h, "PRAGMA foreign_key_check", -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc != SQLITE_DONE) {
		ret = serr_set(e, SE_DB, "%s: the caseload in the backup fails "
		    "the foreign key check%s%s", src, rc == SQLITE_ROW ? "" :
		    ": ", rc == SQLITE_ROW ? "" : sqlite3_errmsg(h));
		goto out;
	}
out:
	sqlite3_finalize(st);
	sqlite3_close(h);
	return ret;
}

int
vault_restore(const char *src, const char *dest, const struct passphrase *pw,
    struct serr *e)
{
	unsigned char *img = NULL;
	char *tmp = NULL;
	size_t n = 0;
	int fd = -1, ret;

	if ((ret = refuse_existing(dest, e)) != 0)
		return ret;
	/* All of it is authenticated and checked in memory before a byte of
	 * plaintext is written anywhere. */
	if ((ret = vault_decrypt(src, pw, &img, &n, e)) != 0)
		return ret;
	if ((ret = check_image(img, n, src, e)) != 0)
		goto out;
	if ((fd = open_temp(dest, &tmp, e)) < 0) {
		ret = fd;
		goto out;
	}
	if (write_all(fd, img, n) != 0 || fsync(fd) != 0) {
		ret = serr_set(e, errno == ENOSPC ? SE_FULL : SE_IO, "%s: "
		    "cannot write: %s", dest, strerror(errno));
		goto out;
	}
	if (close(fd) != 0) {
		fd = -1;
		ret = serr_set(e, SE_IO, "%s: cannot write: %s", dest,
		    strerror(errno));
		goto out;
	}
	fd = -1;
	ret = commit_temp(tmp, dest, e);
	free(tmp);
	tmp = NULL;
out:
	if (fd >= 0)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	}
	vault_plain_free(img, n);
	return ret;
}
