#include <criterion/criterion.h>
#include "helpers.h"
Test(placeholder, register) { cr_skip_test("not written yet"); }
