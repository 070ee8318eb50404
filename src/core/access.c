/*
 * access.c: the StrictModes checks and the file-system type test.
 */
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef __linux__
#include <sys/vfs.h>
#endif

#include "access.h"
#include "xmalloc.h"

int
access_group(const char *name, gid_t *gid, struct serr *e)
{
	struct group *g = getgrnam(name);

	if (g == NULL)
		return serr_set(e, SE_CONFIG, "shared_group '%s': no such "
		    "Unix group", name);
	*gid = g->gr_gid;
	return 0;
}

/* The parent directory of path (caller frees). */
static char *
parent_of(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (slash == NULL) {
		free(dir);
		return xstrdup(".");
	}
	if (slash == dir)
		slash[1] = '\0';
	else
		*slash = '\0';
	return dir;
}

static int
check_one(const char *path, bool dir, gid_t group, struct serr *e)
{
	struct stat sb;
	mode_t m;
	bool group_ok;

	if (stat(path, &sb) != 0)
		return errno == ENOENT ? 0 : serr_set(e, SE_IO, "%s: %s",
		    path, strerror(errno));
	m = sb.st_mode & 07777;
	/* Group access is only for the configured group, on a setgid
	 * directory (so every new file gets that group). */
	group_ok = group != (gid_t)-1 && sb.st_gid == group &&
	    (!dir || (m & S_ISGID));
	if ((m & S_IRWXO) != 0 || ((m & S_IRWXG) != 0 && !group_ok)) {
		const char *fix = group != (gid_t)-1 ?
		    (dir ? "2770" : "660") : (dir ? "700" : "600");

		return serr_set(e, SE_PERM, "%s: mode %04o lets other users "
		    "%s pupil data; senco will not open it (fix: chmod %s %s%s)",
		    path, (unsigned)m, dir ? "list or change" : "read or change",
		    fix, path, group != (gid_t)-1 && sb.st_gid != group ?
		    ", and chgrp it to the shared group" : "");
	}
	return 0;
}

int
access_check_dir(const char *path, gid_t group, struct serr *e)
{
	char *dir = parent_of(path);
	int ret = check_one(dir, true, group, e);

	free(dir);
	return ret;
}

int
access_check(const char *path, gid_t group, struct serr *e)
{
	static const char *const sfx[] = { "", "-wal", "-shm" };
	char buf[4096];
	int ret;

	for (size_t i = 0; i < sizeof sfx / sizeof sfx[0]; i++) {
		snprintf(buf, sizeof buf, "%s%s", path, sfx[i]);
		if ((ret = check_one(buf, false, group, e)) != 0)
			return ret;
	}
	return access_check_dir(path, group, e);
}

int
access_share(const char *path, bool dir, gid_t group, struct serr *e)
{
	if (group == (gid_t)-1)
		return 0;
	if (chown(path, (uid_t)-1, group) != 0 ||
	    chmod(path, dir ? 02770 : 0660) != 0)
		return serr_set(e, SE_PERM, "%s: cannot give it to the shared "
		    "group: %s (are you a member?)", path, strerror(errno));
	return 0;
}

bool
access_network_fs_type(unsigned long t, const char **name)
{
	static const struct {
		unsigned long magic;
		const char *name;
	} net[] = {
		{ 0x6969UL, "nfs" },
		{ 0x517BUL, "smb" },
		{ 0xFF534D42UL, "cifs" },
		{ 0xFE534D42UL, "smb2" },
		{ 0x5346414FUL, "afs" },
		{ 0x00C36400UL, "ceph" },
		{ 0x65735546UL, "fuse (e.g. sshfs)" },
		{ 0x01021997UL, "9p" },
		{ 0x73757245UL, "coda" },
		{ 0x564CUL, "ncp" },
		{ 0x47504653UL, "gpfs" },
		{ 0x0BD00BD0UL, "lustre" },
	};

	for (size_t i = 0; i < sizeof net / sizeof net[0]; i++)
		if (net[i].magic == (t & 0xFFFFFFFFUL)) {
			if (name != NULL)
				*name = net[i].name;
			return true;
		}
	return false;
}

bool
access_on_network_fs(const char *path, const char **name)
{
#ifdef __linux__
	struct statfs sf;

	if (statfs(path, &sf) == 0)
		return access_network_fs_type((unsigned long)sf.f_type, name);
#else
	(void)path;
	(void)name;
#endif
	return false;
}
