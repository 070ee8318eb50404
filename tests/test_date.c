#include <criterion/criterion.h>
#include "helpers.h"
Test(placeholder, date) { cr_skip_test("not written yet"); }
