#include <criterion/criterion.h>
#include "helpers.h"
Test(placeholder, pupil) { cr_skip_test("not written yet"); }
