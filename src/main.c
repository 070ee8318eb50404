/* main.c: to be written. */
#include <stdio.h>
int main(void) { puts("senco"); return 0; }
