/*
 * access.h: who may reach the caseload file, and what it is stored on.
 *
 * Like OpenSSH's StrictModes, senco will not open pupil data that other
 * users can read or change: the file (and its -wal/-shm) must be 0600 and
 * its directory 0700, or, when the configuration names a shared group,
 * 0660 and a setgid 2770 directory of that group. Nothing is ever open to
 * "others".
 */
#ifndef SENCO_ACCESS_H
#define SENCO_ACCESS_H

#include <stdbool.h>
#include <sys/types.h>
#include "err.h"

/* The gid of a group name, for shared_group; SE_CONFIG if unknown. */
int access_group(const char *name, gid_t *gid, struct serr *e);

/* Check the caseload file, its -wal and -shm, and its directory. group is
 * the shared gid or (gid_t)-1. SE_PERM names the path, its mode and the
 * chmod that fixes it. A missing file is not checked (the directory is). */
int access_check(const char *path, gid_t group, struct serr *e);
/* Only the directory that will hold a new file. */
int access_check_dir(const char *path, gid_t group, struct serr *e);

/* Make a file or directory we just created belong to the shared group
 * with group access (0660, or 2770 for a directory). No-op without one. */
int access_share(const char *path, bool dir, gid_t group, struct serr *e);

/* Is this statfs f_type a network file system (where WAL cannot work)?
 * Sets *name ("nfs", "smb" ...) when it is. */
bool access_network_fs_type(unsigned long f_type, const char **name);
/* The same for the file system holding path (false if it cannot tell). */
bool access_on_network_fs(const char *path, const char **name);

#endif
