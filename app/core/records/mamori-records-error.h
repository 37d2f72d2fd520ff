/* mamori-records-error.h — why an event is refused
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define MAMORI_RECORDS_ERROR (mamori_records_error_quark ())

typedef enum
{
  MAMORI_RECORDS_ERROR_INVALID,       /* not a well-formed, canonical event payload */
  MAMORI_RECORDS_ERROR_BAD_SIGNATURE, /* the signature is not the author's */
  MAMORI_RECORDS_ERROR_BROKEN_CHAIN,  /* author_seq or prev does not continue the chain */
  MAMORI_RECORDS_ERROR_FORK,          /* a second event with an author_seq already used */
  MAMORI_RECORDS_ERROR_WRONG_SCHOOL,  /* the event belongs to another school */
  MAMORI_RECORDS_ERROR_UNKNOWN_TYPE,  /* no fold knows this type */
  MAMORI_RECORDS_ERROR_NOT_PERMITTED, /* the author's role may not do this, or not now */
  MAMORI_RECORDS_ERROR_DUPLICATE,     /* the log already holds this event */
  MAMORI_RECORDS_ERROR_CONFLICT,      /* the change contradicts the records (a name in use, …) */
} MamoriRecordsError;

GQuark
mamori_records_error_quark (void);

G_END_DECLS
