/*
 * test_disk.c: finding whether the caseload rests on an encrypted disk,
 * on fake sysfs trees built in a temp directory: a plain partition,
 * LUKS, LVM on LUKS, LUKS on LVM, LVM on a plain disk, RAID of mixed and
 * of encrypted members, loop devices, RAM disks, missing and anonymous
 * devices, and a loop in the tree.
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "core/disk.h"
#include "core/xmalloc.h"
#include "helpers.h"

TestSuite(disk, .fini = th_cleanup);

#define PLAIN_TEXT "not on an encrypted disk: a laptop holding pupil data " \
	"must use full-disk encryption"

static char root[300];

static void
mkdirs(const char *path)
{
	char *p = xstrdup(path);

	for (char *s = p + 1; *s != '\0'; s++)
		if (*s == '/') {
			*s = '\0';
			mkdir(p, 0700);
			*s = '/';
		}
	mkdir(p, 0700);
	free(p);
}

/* A device directory under root/devices: rel e.g. "pci0/block/sda/sda2". */
static void
device(const char *rel)
{
	char *p;

	xasprintf(&p, "%s/devices/%s", root, rel);
	mkdirs(p);
	free(p);
}

static void
attr(const char *rel, const char *name, const char *value)
{
	char *p, *dir;
	FILE *fp;

	xasprintf(&p, "%s/devices/%s/%s", root, rel, name);
	dir = xstrdup(p);
	*strrchr(dir, '/') = '\0';
	mkdirs(dir);
	free(dir);
	fp = fopen(p, "w");
	cr_assert_not_null(fp, "%s", p);
	fprintf(fp, "%s\n", value);
	fclose(fp);
	free(p);
}

/* dev/block/maj:min -> the device, as sysfs links it. */
static void
devnum(unsigned maj, unsigned min, const char *rel)
{
	char *link, *target;

	xasprintf(&link, "%s/dev/block", root);
	mkdirs(link);
	free(link);
	xasprintf(&link, "%s/dev/block/%u:%u", root, maj, min);
	xasprintf(&target, "../../devices/%s", rel);
	cr_assert_eq(symlink(target, link), 0, "%s", link);
	free(link);
	free(target);
}

/* rel's slaves/name -> the device at slave_rel. */
static void
slave(const char *rel, const char *slave_rel)
{
	char *dir, *link, *target;
	const char *name = strrchr(slave_rel, '/');

	xasprintf(&dir, "%s/devices/%s/slaves", root, rel);
	mkdirs(dir);
	xasprintf(&link, "%s/%s", dir, name != NULL ? name + 1 : slave_rel);
	xasprintf(&target, "%s/devices/%s", root, slave_rel);
	cr_assert_eq(symlink(target, link), 0, "%s", link);
	free(dir);
	free(link);
	free(target);
}

/* The tree of a laptop and a server:
 *   8:2   sda2              plain partition of sda
 *   8:3   sda3              under dm-0
 *   253:0 dm-0  CRYPT       LUKS on sda3
 *   253:1 dm-1  LVM         LVM on LUKS (dm-0)
 *   253:2 dm-2  LVM         LVM on a plain partition (sdb1)
 *   253:3 dm-3  CRYPT       LUKS on LVM (dm-2)
 *   253:4 dm-4  CRYPT       LUKS on sdc1
 *   9:0   md0               RAID of dm-0 and sdd1 (one member plain)
 *   9:1   md1               RAID of dm-0 and dm-4 (both encrypted)
 *   253:7 dm-7  LVM         loops: dm-7 -> dm-8 -> dm-7
 *   251:0 zram0             compressed RAM
 */
static void
build_tree(void)
{
	snprintf(root, sizeof root, "%s/sys", th_tmpdir());
	device("pci0/block/sda/sda2");
	attr("pci0/block/sda/sda2", "partition", "2");
	device("pci0/block/sda/sda3");
	attr("pci0/block/sda/sda3", "partition", "3");
	devnum(8, 2, "pci0/block/sda/sda2");
	devnum(8, 3, "pci0/block/sda/sda3");

	attr("virtual/block/dm-0", "dm/uuid",
	    "CRYPT-LUKS2-6f0c2bd1e0a04d2b9f3c3a1b2c3d4e5f-luks");
	attr("virtual/block/dm-0", "dm/name", "luks-6f0c");
	slave("virtual/block/dm-0", "pci0/block/sda/sda3");
	devnum(253, 0, "virtual/block/dm-0");

	attr("virtual/block/dm-1", "dm/uuid", "LVM-abcdefghijkl");
	slave("virtual/block/dm-1", "virtual/block/dm-0");
	devnum(253, 1, "virtual/block/dm-1");

	attr("pci0/block/sdb/sdb1", "partition", "1");
	attr("virtual/block/dm-2", "dm/uuid", "LVM-plainplainplain");
	slave("virtual/block/dm-2", "pci0/block/sdb/sdb1");
	devnum(253, 2, "virtual/block/dm-2");

	attr("virtual/block/dm-3", "dm/uuid", "CRYPT-PLAIN-home");
	slave("virtual/block/dm-3", "virtual/block/dm-2");
	devnum(253, 3, "virtual/block/dm-3");

	attr("pci0/block/sdc/sdc1", "partition", "1");
	attr("virtual/block/dm-4", "dm/uuid", "CRYPT-LUKS1-0123-data");
	slave("virtual/block/dm-4", "pci0/block/sdc/sdc1");
	devnum(253, 4, "virtual/block/dm-4");

	attr("pci0/block/sdd/sdd1", "partition", "1");
	device("virtual/block/md0");
	slave("virtual/block/md0", "virtual/block/dm-0");
	slave("virtual/block/md0", "pci0/block/sdd/sdd1");
	devnum(9, 0, "virtual/block/md0");
	device("virtual/block/md1");
	slave("virtual/block/md1", "virtual/block/dm-0");
	slave("virtual/block/md1", "virtual/block/dm-4");
	devnum(9, 1, "virtual/block/md1");

	attr("virtual/block/dm-7", "dm/uuid", "LVM-loop7");
	attr("virtual/block/dm-8", "dm/uuid", "LVM-loop8");
	slave("virtual/block/dm-7", "virtual/block/dm-8");
	slave("virtual/block/dm-8", "virtual/block/dm-7");
	devnum(253, 7, "virtual/block/dm-7");

	device("virtual/block/zram0");
	devnum(251, 0, "virtual/block/zram0");
}

static struct disk_info
dev(unsigned maj, unsigned min)
{
	struct disk_info d;

	disk_check_dev(root, maj, min, &d);
	return d;
}

static void
says(const struct disk_info *d, const char *want)
{
	char line[256];

	disk_describe(d, line, sizeof line);
	cr_assert(strstr(line, want) != NULL, "'%s' lacks '%s'", line, want);
}

Test(disk, plain_partition)
{
	struct disk_info d;

	build_tree();
	d = dev(8, 2);
	cr_assert_eq(d.state, DISK_PLAIN);
	cr_assert_str_eq(d.device, "sda2");
	says(&d, PLAIN_TEXT);
	says(&d, "sda2");
}

Test(disk, luks_partition)
{
	struct disk_info d;

	build_tree();
	d = dev(253, 0);
	cr_assert_eq(d.state, DISK_ENCRYPTED);
	cr_assert_str_eq(d.how, "dm-crypt");
	cr_assert_str_eq(d.device, "dm-0");
	says(&d, "encrypted (dm-crypt");
	/* The partition under it, looked at alone, is plain. */
	d = dev(8, 3);
	cr_assert_eq(d.state, DISK_PLAIN);
}

Test(disk, lvm_on_luks)
{
	struct disk_info d;

	build_tree();
	d = dev(253, 1);
	cr_assert_eq(d.state, DISK_ENCRYPTED);
	cr_assert_str_eq(d.device, "dm-1");
	cr_assert_str_eq(d.base, "dm-0");
	says(&d, "encrypted (dm-crypt: dm-1 on dm-0)");
}

Test(disk, lvm_on_a_plain_disk)
{
	struct disk_info d;

	build_tree();
	d = dev(253, 2);
	cr_assert_eq(d.state, DISK_PLAIN);
	cr_assert_str_eq(d.device, "dm-2");
	says(&d, PLAIN_TEXT);
}

Test(disk, luks_on_lvm)
{
	struct disk_info d;

	build_tree();
	d = dev(253, 3);
	cr_assert_eq(d.state, DISK_ENCRYPTED);
	cr_assert_str_eq(d.device, "dm-3");
}

Test(disk, raid_needs_every_member_encrypted)
{
	struct disk_info d;

	build_tree();
	d = dev(9, 0);
	cr_assert_eq(d.state, DISK_PLAIN, "one plain member leaves data plain");
	cr_assert_str_eq(d.device, "md0");
	says(&d, PLAIN_TEXT);
	d = dev(9, 1);
	cr_assert_eq(d.state, DISK_ENCRYPTED);
	cr_assert_str_eq(d.device, "md1");
}

Test(disk, unknown_when_it_cannot_tell)
{
	struct disk_info d;

	build_tree();
	d = dev(8, 99);		/* not in sysfs */
	cr_assert_eq(d.state, DISK_UNKNOWN);
	says(&d, "unknown (");
	d = dev(0, 42);		/* tmpfs, overlay, NFS: anonymous device */
	cr_assert_eq(d.state, DISK_UNKNOWN);
	says(&d, "unknown (no block device)");
	d = dev(251, 0);	/* zram */
	cr_assert_eq(d.state, DISK_UNKNOWN);
	d = dev(253, 7);	/* a loop in the tree ends */
	cr_assert_eq(d.state, DISK_UNKNOWN);
	/* A sysfs that is not there at all. */
	disk_check_dev("/nonexistent/sys", 8, 2, &d);
	cr_assert_eq(d.state, DISK_UNKNOWN);
}

Test(disk, crypt_uuid_must_begin_with_crypt)
{
	struct disk_info d;

	build_tree();
	attr("virtual/block/dm-9", "dm/uuid", "LVM-CRYPT-not-really");
	slave("virtual/block/dm-9", "pci0/block/sdb/sdb1");
	devnum(253, 9, "virtual/block/dm-9");
	d = dev(253, 9);
	cr_assert_eq(d.state, DISK_PLAIN);
}

/* A file on this machine, with its real device number mapped in the fake
 * tree: the stat -> MAJ:MIN step. File systems with no block device
 * (tmpfs, overlay) are told as unknown before sysfs is asked. */
static void
real_file_on(const char *rel, enum disk_crypt want)
{
	const char *file = th_path("caseload.db");
	struct disk_info d;
	struct stat sb;
	int fd = open(file, O_CREAT | O_WRONLY, 0600);

	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(stat(file, &sb), 0);
	if (major(sb.st_dev) != 0)
		devnum(major(sb.st_dev), minor(sb.st_dev), rel);
	disk_check_path(file, root, &d);
	if (major(sb.st_dev) == 0) {
		cr_assert_eq(d.state, DISK_UNKNOWN);
		cr_skip_test("the temp dir has no block device (%s)", d.how);
	}
	if (d.state == DISK_UNKNOWN && want != DISK_UNKNOWN)
		cr_skip_test("the temp dir is on %s", d.how);
	cr_assert_eq(d.state, want, "%s", d.how);
}

Test(disk, a_real_file_on_an_encrypted_device)
{
	build_tree();
	real_file_on("virtual/block/dm-1", DISK_ENCRYPTED);
}

Test(disk, a_real_file_on_a_plain_device)
{
	build_tree();
	real_file_on("pci0/block/sda/sda2", DISK_PLAIN);
}

Test(disk, a_loop_device_is_what_its_backing_file_is_on)
{
	const char *file = th_path("image.img");
	struct disk_info d;
	struct stat sb;
	int fd = open(file, O_CREAT | O_WRONLY, 0600);

	build_tree();
	cr_assert(fd >= 0);
	close(fd);
	cr_assert_eq(stat(file, &sb), 0);
	if (major(sb.st_dev) == 0)
		cr_skip_test("the temp dir has no block device");
	devnum(major(sb.st_dev), minor(sb.st_dev), "virtual/block/dm-4");
	attr("virtual/block/loop0", "loop/backing_file", file);
	devnum(7, 0, "virtual/block/loop0");
	d = dev(7, 0);
	if (d.state == DISK_UNKNOWN)
		cr_skip_test("the temp dir is on %s", d.how);
	cr_assert_eq(d.state, DISK_ENCRYPTED, "%s", d.how);
	cr_assert_str_eq(d.device, "loop0");
}

Test(disk, this_machine_gives_an_answer)
{
	struct disk_info d;
	char line[256];
	const char *file = th_path("x.db");
	int fd = open(file, O_CREAT | O_WRONLY, 0600);

	cr_assert(fd >= 0);
	close(fd);
	disk_check_path(file, NULL, &d);
	disk_describe(&d, line, sizeof line);
	cr_assert(strlen(line) > 10);
	cr_log_info("this machine: %s", line);
	disk_check_path("/nonexistent/file.db", NULL, &d);
	cr_assert_eq(d.state, DISK_UNKNOWN);
}
