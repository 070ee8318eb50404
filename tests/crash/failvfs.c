/*
 * failvfs.c: a SQLite VFS that fails the Nth write, sync or truncate, for
 * the crash tests (issue 5). It wraps the default "unix" VFS and becomes
 * the default itself, so the code under test opens its files through it
 * without knowing: no LD_PRELOAD, no change to senco.
 *
 * It is set up from the environment when the program starts (a
 * constructor), so linking this file into a program is all it takes:
 *
 *   SENCO_FAILVFS_AT=N       fail the Nth counted operation (1, 2, ...);
 *                            unset or 0: count only, never fail
 *   SENCO_FAILVFS_ERR=ioerr  the failure is an I/O error (default): writes,
 *                            syncs and truncates are counted;
 *                     full   the disk is full: writes alone are counted and
 *                            fail with SQLITE_FULL, as ENOSPC does
 *   SENCO_FAILVFS_PERSIST=1  every counted operation from the Nth on fails
 *                            (a disk that stays full or broken); else only
 *                            the Nth does (a transient error)
 *   SENCO_FAILVFS_REPORT=F   at exit write "ops K fired M" to F: K counted
 *                            operations, M of them failed. M = 0 means the
 *                            whole run went through without a failure.
 *
 * When SENCO_FAILVFS_AT is not set at all the VFS is not installed.
 * SENCO_FAILLOOP_BASE runs the whole failing-write loop instead (see
 * failloop.c).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "failvfs.h"

struct ffile {
	sqlite3_file base;	/* must come first */
	sqlite3_file *real;	/* the unix VFS's file, right after this */
};

static sqlite3_vfs *real_vfs;
static sqlite3_vfs fail_vfs;
static long fail_at;		/* 0: never */
static int fail_full;		/* SQLITE_FULL on writes, rather than IOERR */
static int fail_persist;
static long n_ops, n_fired;
static const char *report_path;

/* Count one operation; true if this one is to fail. */
static int
failing(void)
{
	n_ops++;
	if (fail_at <= 0)
		return 0;
	if (n_ops == fail_at || (fail_persist && n_ops > fail_at)) {
		n_fired++;
		return 1;
	}
	return 0;
}

#define REAL(f) (((struct ffile *)(f))->real)

static int
f_close(sqlite3_file *f)
{
	return REAL(f)->pMethods->xClose(REAL(f));
}

static int
f_read(sqlite3_file *f, void *buf, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), buf, n, off);
}

static int
f_write(sqlite3_file *f, const void *buf, int n, sqlite3_int64 off)
{
	if (failing())
		return fail_full ? SQLITE_FULL : SQLITE_IOERR_WRITE;
	return REAL(f)->pMethods->xWrite(REAL(f), buf, n, off);
}

static int
f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	/* A full disk does not stop a file shrinking. */
	if (!fail_full && failing())
		return SQLITE_IOERR_TRUNCATE;
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int
f_sync(sqlite3_file *f, int flags)
{
	if (!fail_full && failing())
		return SQLITE_IOERR_FSYNC;
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int
f_file_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int
f_lock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xLock(REAL(f), lock);
}

static int
f_unlock(sqlite3_file *f, int lock)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), lock);
}

static int
f_check_reserved(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int
f_file_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int
f_sector_size(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int
f_device_chars(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int
f_shm_map(sqlite3_file *f, int pg, int pgsz, int extend, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, pgsz, extend, pp);
}

static int
f_shm_lock(sqlite3_file *f, int offset, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), offset, n, flags);
}

static void
f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int
f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int
f_fetch(sqlite3_file *f, sqlite3_int64 off, int n, void **pp)
{
	return REAL(f)->pMethods->xFetch(REAL(f), off, n, pp);
}

static int
f_unfetch(sqlite3_file *f, sqlite3_int64 off, void *p)
{
	return REAL(f)->pMethods->xUnfetch(REAL(f), off, p);
}

static const sqlite3_io_methods fail_io = {
	3,
	f_close, f_read, f_write, f_truncate, f_sync, f_file_size,
	f_lock, f_unlock, f_check_reserved, f_file_control, f_sector_size,
	f_device_chars, f_shm_map, f_shm_lock, f_shm_barrier, f_shm_unmap,
	f_fetch, f_unfetch,
};

static int
f_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags,
    int *out_flags)
{
	struct ffile *ff = (struct ffile *)file;
	int rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	rc = real_vfs->xOpen(real_vfs, name, ff->real, flags, out_flags);
	/* SQLite calls xClose only on a file whose pMethods is set. */
	ff->base.pMethods = ff->real->pMethods != NULL ? &fail_io : NULL;
	return rc;
}

static void
write_report(void)
{
	FILE *fp;

	if (report_path == NULL || (fp = fopen(report_path, "w")) == NULL)
		return;
	fprintf(fp, "ops %ld fired %ld\n", n_ops, n_fired);
	fclose(fp);
}

void
failvfs_report_at_exit(const char *path)
{
	static bool registered;

	report_path = path;
	if (!registered)
		atexit(write_report);
	registered = true;
}

int
failvfs_install(long at, int full, int persist)
{
	fail_at = at;
	fail_full = full;
	fail_persist = persist;
	n_ops = n_fired = 0;
	if (real_vfs != NULL)
		return SQLITE_OK;
	if ((real_vfs = sqlite3_vfs_find(NULL)) == NULL)
		return SQLITE_ERROR;
	/* Copy every method of the real VFS (they may read pAppData, which
	 * is copied too) and put ours in front of xOpen alone. */
	fail_vfs = *real_vfs;
	fail_vfs.zName = "failvfs";
	fail_vfs.szOsFile = (int)sizeof(struct ffile) + real_vfs->szOsFile;
	fail_vfs.xOpen = f_open;
	fail_vfs.pNext = NULL;
	return sqlite3_vfs_register(&fail_vfs, 1);
}

/* glibc hands constructors the program's arguments. */
__attribute__((constructor)) static void
failvfs_from_env(int argc, char **argv, char **envp)
{
	const char *at = getenv("SENCO_FAILVFS_AT");
	const char *err = getenv("SENCO_FAILVFS_ERR");
	const char *persist = getenv("SENCO_FAILVFS_PERSIST");
	const char *report = getenv("SENCO_FAILVFS_REPORT");

	(void)envp;
	if (at == NULL && getenv("SENCO_FAILLOOP_BASE") == NULL)
		return;
	if (failvfs_install(at != NULL ? strtol(at, NULL, 10) : 0,
	    err != NULL && strcmp(err, "full") == 0,
	    persist != NULL && strcmp(persist, "1") == 0) != SQLITE_OK) {
		fprintf(stderr, "failvfs: cannot register the VFS\n");
		exit(99);
	}
	if (report != NULL)
		failvfs_report_at_exit(report);
	/* The loop returns only in each child it forks, into senco. */
	if (getenv("SENCO_FAILLOOP_BASE") != NULL)
		failloop_main(argc, argv);
}
