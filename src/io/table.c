/* table.c: to be written. */
#include "io/table.h"
