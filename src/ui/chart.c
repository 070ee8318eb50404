/*
 * chart.c: bars in block characters (chart.h).
 */
#include <curses.h>
#include <math.h>
#include <string.h>

#include "ui/chart.h"
#include "ui/draw.h"

#define CHART_MAX_W 256		/* cells a bar can take */

void
ui_chart_bar(int y, int x, int w, double value, double max, double mark)
{
	static const char *const part[] = { "", "\xe2\x96\x8f",
	    "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c", "\xe2\x96\x8b",
	    "\xe2\x96\x8a", "\xe2\x96\x89" };
	bool utf8 = ui_utf8();
	char buf[CHART_MAX_W * 3 + 1];
	long eighths = 0, full, cells;
	int i, m = -1;
	size_t used = 0;

	if (w <= 0)
		return;
	if (w > CHART_MAX_W)
		w = CHART_MAX_W;
	if (max > 0 && value > 0 && !isnan(value)) {
		eighths = lround(value * w * 8 / max);
		if (eighths < 1)
			eighths = 1;	/* above zero always shows */
		if (eighths > (long)w * 8)
			eighths = (long)w * 8;
	}
	if (max > 0 && mark >= 0 && !isnan(mark)) {
		m = (int)lround(mark * w / max);
		if (m >= w)
			m = w - 1;
	}
	full = eighths / 8;
	/* without UTF-8 a cell is '#' from half a cell up */
	cells = utf8 ? full + (eighths % 8 != 0) : (eighths + 4) / 8;
	if (!utf8 && eighths > 0 && cells < 1)
		cells = 1;
	for (i = 0; i < w; i++) {
		const char *c = " ";

		if (i == m)
			c = utf8 ? "\xe2\x94\x82" : "|";
		else if (!utf8)
			c = i < cells ? "#" : " ";
		else if (i < full)
			c = "\xe2\x96\x88";
		else if (i == full && eighths % 8 != 0)
			c = part[eighths % 8];
		memcpy(buf + used, c, strlen(c));
		used += strlen(c);
	}
	buf[used] = '\0';
	ui_draw(y, x, w, buf, A_NORMAL);
}
