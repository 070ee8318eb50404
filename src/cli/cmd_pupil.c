/* cmd_pupil.c: to be written. */
#include "cli/cli.h"
