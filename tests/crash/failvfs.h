/*
 * failvfs.h: a SQLite VFS that fails the Nth write, sync or truncate (see
 * failvfs.c; it installs itself from SENCO_FAILVFS_* when linked in), and
 * the loop that runs senco failing each write in turn (failloop.c).
 */
#ifndef SENCO_TEST_FAILVFS_H
#define SENCO_TEST_FAILVFS_H

/* Make the failing VFS the default: fail the `at`th counted operation
 * (0: never), with SQLITE_FULL on writes if `full`, and every one after it
 * too if `persist`. Resets the counters. Returns an SQLITE_ code. */
int failvfs_install(long at, int full, int persist);
/* At exit, write "ops K fired M" to path. */
void failvfs_report_at_exit(const char *path);

/* Run the failing-write loop over senco's own arguments: never returns in
 * the process that runs it, and returns in each child it forks, which
 * then goes on into senco with its failure set (see failloop.c). */
void failloop_main(int argc, char **argv);

#endif
