/* pupil.c: the pupil screen (being written). */
#include "ui/app.h"
#include "ui/pupil.h"

void
ui_pupil_open(struct app *a, int64_t pupil_id)
{
	ui_message(a, "pupil %lld", (long long)pupil_id);
}
