// SPDX-License-Identifier: MIT
#include "rules/rules.h"
#include "check.h"
int main(void) { return check_result("rules"); }
