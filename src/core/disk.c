/*
 * disk.c: whether the caseload's file rests on an encrypted disk, read
 * from sysfs (the rules are in disk.h). The sysfs root is a parameter so
 * the tests can build fake device trees for each case.
 */
#ifdef __linux__
#define _GNU_SOURCE	/* statx, for the fscrypt attribute */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#endif

#include "disk.h"
#include "xmalloc.h"

/* Devices stacked deeper than this are a loop in a (fake) tree. */
#define DISK_DEPTH_MAX 16
#define DM_CRYPT_PREFIX "CRYPT-"

static void
set_name(char *dst, const char *path)
{
	const char *slash = strrchr(path, '/');

	snprintf(dst, DISK_NAME_MAX, "%s", slash != NULL ? slash + 1 : path);
}

/* The first line of dir/name into buf; false if there is none. */
static bool
read_attr(const char *dir, const char *name, char *buf, size_t n)
{
	char *path;
	FILE *fp;
	bool ok = false;

	xasprintf(&path, "%s/%s", dir, name);
	fp = fopen(path, "re");
	free(path);
	if (fp == NULL)
		return false;
	if (fgets(buf, (int)n, fp) != NULL) {
		buf[strcspn(buf, "\n")] = '\0';
		ok = true;
	}
	fclose(fp);
	return ok;
}

static bool
has_attr(const char *dir, const char *name)
{
	char *path;
	struct stat sb;
	bool ok;

	xasprintf(&path, "%s/%s", dir, name);
	ok = stat(path, &sb) == 0;
	free(path);
	return ok;
}

static void check_file(const char *path, const char *root, int depth,
    struct disk_info *out);

/*
 * The state of the device whose sysfs directory is dir (resolved, no
 * symlinks). A dm-crypt mapping is encrypted; a partition is what its
 * disk is; a device built on others (slaves/) is encrypted only if every
 * one of them is; a loop device is what its backing file is; any other
 * leaf is a plain disk.
 */
static void
check_node(const char *dir, const char *root, int depth,
    struct disk_info *out)
{
	char uuid[PATH_MAX], *sub, *real;
	DIR *d;
	struct dirent *de;
	int n = 0, enc = 0, plain = 0;

	if (depth > DISK_DEPTH_MAX) {
		out->state = DISK_UNKNOWN;
		snprintf(out->how, sizeof out->how, "devices nested too deep");
		return;
	}
	if (read_attr(dir, "dm/uuid", uuid, sizeof uuid) &&
	    strncmp(uuid, DM_CRYPT_PREFIX, strlen(DM_CRYPT_PREFIX)) == 0) {
		out->state = DISK_ENCRYPTED;
		snprintf(out->how, sizeof out->how, "dm-crypt");
		set_name(out->base, dir);
		return;
	}
	if (has_attr(dir, "partition")) {
		char *parent = xstrdup(dir), *slash = strrchr(parent, '/');

		if (slash != NULL && slash != parent) {
			*slash = '\0';
			check_node(parent, root, depth + 1, out);
		} else
			out->state = DISK_UNKNOWN;
		free(parent);
		return;
	}
	if (read_attr(dir, "loop/backing_file", uuid, sizeof uuid) &&
	    uuid[0] == '/') {
		check_file(uuid, root, depth + 1, out);
		return;
	}

	xasprintf(&sub, "%s/slaves", dir);
	d = opendir(sub);
	while (d != NULL && (de = readdir(d)) != NULL) {
		struct disk_info one;
		char *link;

		if (de->d_name[0] == '.')
			continue;
		xasprintf(&link, "%s/%s", sub, de->d_name);
		real = realpath(link, NULL);
		free(link);
		memset(&one, 0, sizeof one);
		if (real != NULL) {
			check_node(real, root, depth + 1, &one);
			free(real);
		}
		n++;
		/* Report the first plain one, else the first encrypted. */
		if (one.state == DISK_ENCRYPTED && enc++ == 0 && plain == 0)
			*out = one;
		else if (one.state == DISK_PLAIN && plain++ == 0)
			*out = one;
	}
	if (d != NULL)
		closedir(d);
	free(sub);
	if (n == 0) {
		out->state = DISK_PLAIN;
		set_name(out->base, dir);
		/* zram and ram disks hold the file in memory. */
		if (strncmp(out->base, "zram", 4) == 0 ||
		    strncmp(out->base, "ram", 3) == 0) {
			out->state = DISK_UNKNOWN;
			snprintf(out->how, sizeof out->how, "a RAM disk");
		}
		return;
	}
	if (plain > 0) {
		out->state = DISK_PLAIN;
		return;
	}
	if (enc == n)
		out->state = DISK_ENCRYPTED;
	else {
		out->state = DISK_UNKNOWN;
		snprintf(out->how, sizeof out->how, "a device under it "
		    "cannot be read");
	}
}

static void
check_dev(const char *root, unsigned maj, unsigned min, int depth,
    struct disk_info *out)
{
	char *link, *real;

	memset(out, 0, sizeof *out);
	if (root == NULL)
		root = "/sys";
	if (maj == 0) {
		/* Anonymous devices: tmpfs, overlay, network, btrfs
		 * subvolumes... there is no disk to look at. */
		out->state = DISK_UNKNOWN;
		snprintf(out->how, sizeof out->how, "no block device");
		return;
	}
	xasprintf(&link, "%s/dev/block/%u:%u", root, maj, min);
	real = realpath(link, NULL);
	free(link);
	if (real == NULL) {
		out->state = DISK_UNKNOWN;
		snprintf(out->how, sizeof out->how, "device %u:%u not in "
		    "sysfs", maj, min);
		return;
	}
	check_node(real, root, depth, out);
	/* device: what the file is on; base: the dm-crypt mapping or plain
	 * disk found beneath it, when that is another device. */
	set_name(out->device, real);
	if (strcmp(out->base, out->device) == 0)
		out->base[0] = '\0';
	free(real);
}

void
disk_check_dev(const char *sysfs_root, unsigned maj, unsigned min,
    struct disk_info *out)
{
	check_dev(sysfs_root, maj, min, 0, out);
}

#ifdef __linux__
/* File systems with no disk of their own, by statfs f_type. */
static const struct {
	unsigned long magic;
	const char *name;
} fs_kinds[] = {
	{ 0x01021994UL, "tmpfs" },
	{ 0x858458f6UL, "ramfs" },
	{ 0x794c7630UL, "overlay" },
	{ 0x00006969UL, "network: NFS" },
	{ 0x0000517bUL, "network: SMB" },
	{ 0xff534d42UL, "network: CIFS" },
	{ 0xfe534d42UL, "network: SMB2" },
	{ 0x01021997UL, "network: 9p" },
	{ 0x00c36400UL, "network: Ceph" },
	{ 0x6b414653UL, "network: AFS" },
	{ 0x65735546UL, "FUSE" },
	{ 0x9123683eUL, "btrfs" },
	{ 0x2fc12fc1UL, "ZFS" },
};
#define ECRYPTFS_MAGIC 0xf15fUL
#endif

static void
check_file(const char *path, const char *root, int depth,
    struct disk_info *out)
{
	struct stat sb;

	memset(out, 0, sizeof *out);
#ifdef __linux__
	struct statfs fs;
	struct statx sx;

	if (statfs(path, &fs) == 0) {
		unsigned long t = (unsigned long)fs.f_type & 0xffffffffUL;

		if (t == ECRYPTFS_MAGIC) {
			out->state = DISK_ENCRYPTED;
			snprintf(out->how, sizeof out->how, "eCryptfs");
			return;
		}
		for (size_t i = 0; i < sizeof fs_kinds / sizeof fs_kinds[0];
		    i++)
			if (t == fs_kinds[i].magic) {
				out->state = DISK_UNKNOWN;
				snprintf(out->how, sizeof out->how, "%s",
				    fs_kinds[i].name);
				return;
			}
	}
	/* An ext4 or f2fs directory encrypted with fscrypt. */
	if (statx(AT_FDCWD, path, 0, STATX_BASIC_STATS, &sx) == 0 &&
	    (sx.stx_attributes_mask & STATX_ATTR_ENCRYPTED) &&
	    (sx.stx_attributes & STATX_ATTR_ENCRYPTED)) {
		out->state = DISK_ENCRYPTED;
		snprintf(out->how, sizeof out->how, "fscrypt");
		return;
	}
	if (stat(path, &sb) != 0) {
		out->state = DISK_UNKNOWN;
		snprintf(out->how, sizeof out->how, "cannot stat: %s",
		    strerror(errno));
		return;
	}
	check_dev(root, major(sb.st_dev), minor(sb.st_dev), depth, out);
#else
	(void)root;
	(void)depth;
	(void)sb;
	(void)path;
	out->state = DISK_UNKNOWN;
	snprintf(out->how, sizeof out->how, "only known on Linux");
#endif
}

void
disk_check_path(const char *path, const char *sysfs_root,
    struct disk_info *out)
{
	check_file(path, sysfs_root, 0, out);
}

char *
disk_describe(const struct disk_info *d, char *buf, size_t n)
{
	switch (d->state) {
	case DISK_ENCRYPTED:
		if (d->device[0] != '\0' && d->base[0] != '\0')
			snprintf(buf, n, "encrypted (%s: %s on %s)", d->how,
			    d->device, d->base);
		else if (d->device[0] != '\0')
			snprintf(buf, n, "encrypted (%s: %s)", d->how,
			    d->device);
		else
			snprintf(buf, n, "encrypted (%s)", d->how);
		break;
	case DISK_PLAIN:
		snprintf(buf, n, "not on an encrypted disk: a laptop holding "
		    "pupil data must use full-disk encryption (device %s%s%s)",
		    d->device[0] != '\0' ? d->device : "?",
		    d->base[0] != '\0' ? " on " : "", d->base);
		break;
	default:
		snprintf(buf, n, "unknown (%s): senco cannot tell whether the "
		    "disk under it is encrypted", d->how[0] != '\0' ? d->how :
		    "tmpfs/overlay/network");
		break;
	}
	return buf;
}
