/*
 * chart.h: bar charts in block characters, for the dashboard's counts,
 * gaps and attendance and for a pupil's results over time. A bar is
 * drawn in eighths of a cell (▏▎▍▌▋▊▉█), or with '#' a cell where the
 * locale is not UTF-8, so a chart reads in 80x24 on a monochrome
 * terminal and with NO_COLOR: the number beside each bar says the same.
 */
#ifndef SENCO_UI_CHART_H
#define SENCO_UI_CHART_H

#define CHART_NO_MARK (-1.0)

/*
 * value of max over w cells at (y, x); a value above zero always shows
 * at least an eighth. mark (CHART_NO_MARK for none) puts a rule ('│' or
 * '|') in the cell of that value: the national figure, the expected
 * standard, the persistent-absence line.
 */
void ui_chart_bar(int y, int x, int w, double value, double max,
    double mark);

#endif
