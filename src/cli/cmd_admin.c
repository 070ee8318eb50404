/* cmd_admin.c: to be written. */
#include "cli/cli.h"
