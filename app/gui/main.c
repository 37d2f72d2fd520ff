/* main.c — the entry point of the Mamori application
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "mamori-application.h"
#include "mamori-crypto.h"

int
main (int argc, char *argv[])
{
  g_autoptr (MamoriApplication) app = NULL;
  g_autoptr (GError) error = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Secure memory for the vault's keys, before GTK or anything else can set libgcrypt up
   * without it. */
  if (!mamori_crypto_init (&error))
    {
      g_printerr (_ ("Mamori cannot keep keys safely in memory, so it does not start: %s\n"),
                  error->message);
      return 1;
    }

  app = mamori_application_new ();

  return g_application_run (G_APPLICATION (app), argc, argv);
}
