/* cmd_record.c: to be written. */
#include "cli/cli.h"
