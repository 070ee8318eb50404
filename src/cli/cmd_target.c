/* cmd_target.c: to be written. */
#include "cli/cli.h"
