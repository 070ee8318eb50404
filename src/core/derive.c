/* derive.c: to be written. */
#include "derive.h"
