#include "CliCommand.h"

#include <cstdio>

QTextStream& cliOut()
{
    static QTextStream s(stdout);
    return s;
}

QTextStream& cliErr()
{
    static QTextStream s(stderr);
    return s;
}
