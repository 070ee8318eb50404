/* cli.c: to be written. */
#include "cli/cli.h"
