/*
 * failvfs.h: a SQLite VFS that fails the Nth write, sync or truncate (see
 * failvfs.c; it installs itself from SENCO_FAILVFS_* when linked in).
 */
#ifndef SENCO_TEST_FAILVFS_H
#define SENCO_TEST_FAILVFS_H

/* Make the failing VFS the default: fail the `at`th counted operation
 * (0: never), with SQLITE_FULL on writes if `full`, and every one after it
 * too if `persist`. Resets the counters. Returns an SQLITE_ code. */
int failvfs_install(long at, int full, int persist);
/* Operations counted, and failed, since the install. */
long failvfs_ops(void);
long failvfs_fired(void);

#endif
