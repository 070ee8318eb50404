#include <criterion/criterion.h>
#include "helpers.h"
Test(placeholder, db) { cr_skip_test("not written yet"); }
