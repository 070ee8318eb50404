/* ui.c: to be written (issue 3). */
#include "ui/ui.h"
