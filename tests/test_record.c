#include <criterion/criterion.h>
#include "helpers.h"
Test(placeholder, record) { cr_skip_test("not written yet"); }
