/* record.c: to be written. */
#include "record.h"
