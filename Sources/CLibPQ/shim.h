// libpq's declarations only: revgraph does not link libpq. It is loaded (dlopen) the first time
// a PostgreSQL URL is used, so the other commands never load it and the twenty libraries it
// pulls in (Kerberos, LDAP, GnuTLS, OpenSSL); see Sources/RevgraphDatabase/LibPQ.swift.
#include <postgresql/libpq-fe.h>

/// The libpq entry points revgraph calls, typed from libpq's own prototypes.
typedef struct revgraph_libpq {
    __typeof__(&PQconnectdbParams) connectdbParams;
    __typeof__(&PQstatus) status;
    __typeof__(&PQerrorMessage) errorMessage;
    __typeof__(&PQfinish) finish;
    __typeof__(&PQsetNoticeProcessor) setNoticeProcessor;
    __typeof__(&PQexecParams) execParams;
    __typeof__(&PQclear) clear;
    __typeof__(&PQresultStatus) resultStatus;
    __typeof__(&PQresultErrorMessage) resultErrorMessage;
    __typeof__(&PQntuples) ntuples;
    __typeof__(&PQnfields) nfields;
    __typeof__(&PQgetisnull) getisnull;
    __typeof__(&PQgetvalue) getvalue;
    __typeof__(&PQlibVersion) libVersion;
} revgraph_libpq;
