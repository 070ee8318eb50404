/*
 * vault.h: passphrase-encrypted backups of the caseload (senco backup
 * --encrypt, senco restore), built on libsodium: Argon2id turns the
 * passphrase into a key, secretstream (XChaCha20-Poly1305) encrypts the
 * file in authenticated chunks. No home-made cryptography.
 *
 * The file: a 72-byte header, then the chunks.
 *
 *   offset size
 *        0    8  magic "SENCOENC"
 *        8    2  format version (1), little-endian
 *       10    2  key derivation algorithm (crypto_pwhash_ALG_ARGON2ID13)
 *       12    4  plaintext bytes per chunk (the last chunk may be shorter)
 *       16    8  Argon2id opslimit
 *       24    8  Argon2id memlimit (bytes)
 *       32   16  salt (random)
 *       48   24  secretstream header (random)
 *
 * Each chunk is secretstream ciphertext (plaintext + 17 bytes). The whole
 * header is the additional data of the first chunk, so a changed byte
 * anywhere in it fails like a wrong passphrase; the last chunk carries
 * TAG_FINAL, so a file cut at a chunk boundary is known to be truncated.
 * The plaintext is a SQLite caseload image in rollback-journal mode.
 */
#ifndef SENCO_VAULT_H
#define SENCO_VAULT_H

#include <stdbool.h>
#include <stddef.h>
#include "db.h"
#include "err.h"
#include "passphrase.h"

#define VAULT_MAGIC "SENCOENC"
#define VAULT_MAGIC_LEN 8
#define VAULT_FORMAT 1
#define VAULT_HEADER_LEN 72
#define VAULT_CHUNK (64 * 1024)

/* Argon2id cost recorded in the file, so a restore derives the same key. */
struct vault_kdf {
	unsigned long long opslimit;
	size_t memlimit;
};

/* Ready libsodium (idempotent). 0 or SE_IO. */
int vault_init(struct serr *e);

/* The cost senco uses: libsodium's MODERATE (3 passes, 256 MiB). */
void vault_kdf_default(struct vault_kdf *k);

/* Encrypt n bytes to a new file dest, created 0600 beside it as
 * dest.tmp-XXXXXX and linked into place only when complete; an existing
 * dest is refused (SE_EXISTS). kdf NULL means vault_kdf_default. */
int vault_encrypt(const void *data, size_t n, const char *dest,
    const struct passphrase *pw, const struct vault_kdf *kdf,
    struct serr *e);
/* Read, decrypt and authenticate all of src into memory. Wrong passphrase
 * or any changed, missing or extra byte is SE_INVALID. On success *out
 * (n bytes) is the caller's to free with vault_plain_free. */
int vault_decrypt(const char *src, const struct passphrase *pw,
    unsigned char **out, size_t *n, struct serr *e);
/* Wipe and free a plaintext from vault_decrypt. */
void vault_plain_free(unsigned char *p, size_t n);
/* The Argon2id cost recorded in src's header (no passphrase needed). */
int vault_peek_kdf(const char *src, struct vault_kdf *k, struct serr *e);

/* A consistent snapshot of the open caseload, encrypted to dest. The
 * snapshot is taken in memory, so no unencrypted copy touches a disk. */
int vault_backup(struct db *db, const char *dest, const struct passphrase *pw,
    const struct vault_kdf *kdf, struct serr *e);
/* Decrypt src, check that it is a senco caseload that passes SQLite's
 * integrity and foreign key checks, then write it to dest (a new file,
 * 0600; an existing one is refused). Nothing is written on any failure. */
int vault_restore(const char *src, const char *dest,
    const struct passphrase *pw, struct serr *e);

#endif
