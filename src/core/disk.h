/*
 * disk.h: is the caseload on an encrypted disk? (senco check)
 *
 * On Linux: the block device under the file (stat's st_dev, found in
 * sysfs as dev/block/MAJ:MIN), followed down through the devices it is
 * built on (slaves/: LVM, RAID, dm-crypt) and from a partition to its
 * disk, is encrypted when it, or every device it rests on, is a dm-crypt
 * mapping (dm/uuid beginning "CRYPT-"). A file in an fscrypt directory or
 * on eCryptfs is encrypted too. tmpfs, overlay, network and other file
 * systems without a block device of their own are "unknown": senco says
 * so rather than guess.
 */
#ifndef SENCO_DISK_H
#define SENCO_DISK_H

#include <stddef.h>

enum disk_crypt {
	DISK_UNKNOWN = 0,
	DISK_ENCRYPTED,
	DISK_PLAIN,
};

#define DISK_NAME_MAX 64

struct disk_info {
	enum disk_crypt state;
	char how[48];			/* "dm-crypt", "fscrypt", "tmpfs" ... */
	char device[DISK_NAME_MAX];	/* "dm-0", "sda2", "" */
	char base[DISK_NAME_MAX];	/* what it rests on: "nvme0n1p3" */
};

/* The device maj:min under sysfs_root (NULL: "/sys"). */
void disk_check_dev(const char *sysfs_root, unsigned maj, unsigned min,
    struct disk_info *out);
/* The file at path: statfs for the file system kind, stat for the
 * device, then disk_check_dev. A path that cannot be read is unknown. */
void disk_check_path(const char *path, const char *sysfs_root,
    struct disk_info *out);
/* One line for senco check, e.g. "encrypted (dm-crypt: dm-0 on sda2)"
 * or "not on an encrypted disk: ...". Returns buf. */
char *disk_describe(const struct disk_info *d, char *buf, size_t n);

#endif
