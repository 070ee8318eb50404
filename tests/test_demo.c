#include <criterion/criterion.h>
#include "helpers.h"
Test(placeholder, demo) { cr_skip_test("not written yet"); }
