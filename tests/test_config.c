#include <criterion/criterion.h>
#include "helpers.h"
Test(placeholder, config) { cr_skip_test("not written yet"); }
