/* mamori-staff-page.c — the staff roster in the preferences: who may open the vault, in
 * which role; administrators add and remove people and change roles; everyone changes
 * their own passphrase
 *
 * The list is the session's "staff" model, bound to a boxed list of MamoriStaffRow.
 * What the page offers follows the roster: "Add Staff Member…", the rows' menus and the
 * vault key group only for an administrator (the session's "can-manage-staff"); "Change
 * Role…" for anyone but oneself; "Remove…" for oneself only while another administrator
 * remains.  Everyone else is told, in the group's description, who may change the
 * staff.  The actions stay off while the session is busy.  The core decides in the end:
 * whatever it refuses is shown (mamori-staff-page-actions.c).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "mamori-staff"

#include "config.h"

#include <glib/gi18n.h>

#include "mamori-staff-member.h"
#include "mamori-staff-page-private.h"
#include "mamori-staff-row.h"

G_DEFINE_FINAL_TYPE (MamoriStaffPage, mamori_staff_page, ADW_TYPE_PREFERENCES_PAGE)

enum
{
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  ADD_TOAST,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *const managing_actions[]
    = { "staff.add", "staff.change-role", "staff.remove", "staff.rotate-key" };

static guint
count_administrators (GListModel *staff)
{
  guint n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (staff); i++)
    {
      g_autoptr (MamoriStaffMember) member = g_list_model_get_item (staff, i);

      if (mamori_staff_member_is_administrator (member))
        n++;
    }
  return n;
}

static gboolean
mamori_staff_page_can_manage (MamoriStaffPage *self)
{
  return self->session != NULL && mamori_session_get_can_manage_staff (self->session);
}

/* What the row's menu offers for its person. */
static void
mamori_staff_page_update_row (MamoriStaffPage *self, MamoriStaffRow *row, guint n_administrators)
{
  MamoriStaffMember *member = mamori_staff_row_get_member (row);
  gboolean is_self = mamori_staff_member_get_is_self (member);
  gboolean manage = mamori_staff_page_can_manage (self);

  mamori_staff_row_set_actions (row, manage && !is_self,
                                manage && (!is_self || n_administrators > 1));
}

/* The rows' menus, and who the passphrase row is for, as the roster says now. */
static void
mamori_staff_page_update_rows (MamoriStaffPage *self)
{
  GListModel *staff;
  GtkListBoxRow *row;
  guint n_administrators;

  if (self->session == NULL)
    return;

  staff = mamori_session_get_staff (self->session);
  n_administrators = count_administrators (staff);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->staff_list, i)) != NULL; i++)
    mamori_staff_page_update_row (self, MAMORI_STAFF_ROW (row), n_administrators);

  for (guint i = 0; i < g_list_model_get_n_items (staff); i++)
    {
      g_autoptr (MamoriStaffMember) member = g_list_model_get_item (staff, i);
      g_autofree char *who = NULL;

      if (!mamori_staff_member_get_is_self (member))
        continue;
      /* Translators: a user and their role: 「山田 花子（副校長・教頭）」. */
      who = g_strdup_printf (C_ ("user and role", "%s (%s)"), mamori_staff_member_get_name (member),
                             mamori_role_get_label (mamori_staff_member_get_role (member)));
      adw_action_row_set_subtitle (self->passphrase_row, who);
    }
}

/* Says who may change the staff, and offers what the roster allows. */
static void
mamori_staff_page_update (MamoriStaffPage *self)
{
  gboolean unlocked = self->session != NULL
                      && mamori_session_get_state (self->session) == MAMORI_SESSION_STATE_UNLOCKED;
  gboolean idle = unlocked && !mamori_session_get_busy (self->session);
  gboolean manage = mamori_staff_page_can_manage (self);
  MamoriVault *vault = unlocked ? mamori_session_get_vault (self->session) : NULL;
  const char *user = vault != NULL ? mamori_vault_get_user (vault) : NULL;

  adw_preferences_group_set_description (
      self->roster_group,
      manage ? _ ("Each person opens the school’s vault with their own passphrase.")
             : _ ("Only the principal, the vice-principal and the board of education can change "
                  "the staff."));
  gtk_widget_set_visible (self->add_button, manage);
  gtk_widget_set_visible (GTK_WIDGET (self->key_group), manage);
  for (guint i = 0; i < G_N_ELEMENTS (managing_actions); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), managing_actions[i], idle && manage);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "staff.change-passphrase",
                                 idle && user != NULL);
  mamori_staff_page_update_rows (self);
}

static void
session_changed_cb (MamoriStaffPage *self)
{
  mamori_staff_page_update (self);
}

static void
member_role_changed_cb (MamoriStaffRow *row)
{
  GtkWidget *page = gtk_widget_get_ancestor (GTK_WIDGET (row), MAMORI_TYPE_STAFF_PAGE);

  /* A new role can change who is the last administrator, and one's own. */
  if (page != NULL)
    mamori_staff_page_update_rows (MAMORI_STAFF_PAGE (page));
}

static GtkWidget *
create_row_cb (gpointer item, gpointer user_data)
{
  MamoriStaffPage *self = MAMORI_STAFF_PAGE (user_data);
  MamoriStaffMember *member = MAMORI_STAFF_MEMBER (item);
  GtkWidget *row = mamori_staff_row_new (member);

  g_signal_connect_object (member, "notify::role", G_CALLBACK (member_role_changed_cb), row,
                           G_CONNECT_SWAPPED);
  mamori_staff_page_update_row (self, MAMORI_STAFF_ROW (row),
                                count_administrators (mamori_session_get_staff (self->session)));
  return row;
}

void
_mamori_staff_page_toast (MamoriStaffPage *self, const char *message)
{
  g_autoptr (AdwToast) toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 8);
  g_signal_emit (self, signals[ADD_TOAST], 0, toast);
}

static void
mamori_staff_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  MamoriStaffPage *self = MAMORI_STAFF_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_staff_page_set_property (GObject *object,
                                guint prop_id,
                                const GValue *value,
                                GParamSpec *pspec)
{
  MamoriStaffPage *self = MAMORI_STAFF_PAGE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      mamori_staff_page_set_session (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
mamori_staff_page_dispose (GObject *object)
{
  MamoriStaffPage *self = MAMORI_STAFF_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  if (self->staff_list != NULL)
    gtk_list_box_bind_model (self->staff_list, NULL, NULL, NULL, NULL);
  g_signal_group_set_target (self->session_signals, NULL);
  g_signal_group_set_target (self->staff_signals, NULL);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (mamori_staff_page_parent_class)->dispose (object);
}

static void
mamori_staff_page_finalize (GObject *object)
{
  MamoriStaffPage *self = MAMORI_STAFF_PAGE (object);

  g_clear_object (&self->session_signals);
  g_clear_object (&self->staff_signals);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (mamori_staff_page_parent_class)->finalize (object);
}

static void
mamori_staff_page_class_init (MamoriStaffPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = mamori_staff_page_get_property;
  object_class->set_property = mamori_staff_page_set_property;
  object_class->dispose = mamori_staff_page_dispose;
  object_class->finalize = mamori_staff_page_finalize;

  properties[PROP_SESSION]
      = g_param_spec_object ("session", NULL, NULL, MAMORI_TYPE_SESSION,
                             G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* "add-toast" (AdwToast): a change was made; the window shows the toast. */
  signals[ADD_TOAST] = g_signal_new ("add-toast", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                     NULL, NULL, NULL, G_TYPE_NONE, 1, ADW_TYPE_TOAST);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/mamori/Mamori/mamori-staff-page.ui");
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPage, roster_group);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPage, add_button);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPage, staff_list);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPage, passphrase_row);
  gtk_widget_class_bind_template_child (widget_class, MamoriStaffPage, key_group);

  gtk_widget_class_install_action (widget_class, "staff.add", NULL, _mamori_staff_page_add_action);
  gtk_widget_class_install_action (widget_class, "staff.change-role", "s",
                                   _mamori_staff_page_change_role_action);
  gtk_widget_class_install_action (widget_class, "staff.remove", "s",
                                   _mamori_staff_page_remove_action);
  gtk_widget_class_install_action (widget_class, "staff.change-passphrase", NULL,
                                   _mamori_staff_page_change_passphrase_action);
  gtk_widget_class_install_action (widget_class, "staff.rotate-key", NULL,
                                   _mamori_staff_page_rotate_key_action);
}

static void
mamori_staff_page_init (MamoriStaffPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();

  self->session_signals = g_signal_group_new (MAMORI_TYPE_SESSION);
  g_signal_group_connect_swapped (self->session_signals, "notify::state",
                                  G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::busy",
                                  G_CALLBACK (session_changed_cb), self);
  g_signal_group_connect_swapped (self->session_signals, "notify::can-manage-staff",
                                  G_CALLBACK (session_changed_cb), self);

  /* After the list box's own handler: the rows of new members exist by then. */
  self->staff_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->staff_signals, "items-changed",
                                  G_CALLBACK (mamori_staff_page_update_rows), self);

  mamori_staff_page_update (self);
}

GtkWidget *
mamori_staff_page_new (void)
{
  return g_object_new (MAMORI_TYPE_STAFF_PAGE, NULL);
}

MamoriSession *
mamori_staff_page_get_session (MamoriStaffPage *self)
{
  g_return_val_if_fail (MAMORI_IS_STAFF_PAGE (self), NULL);

  return self->session;
}

void
mamori_staff_page_set_session (MamoriStaffPage *self, MamoriSession *session)
{
  g_return_if_fail (MAMORI_IS_STAFF_PAGE (self));
  g_return_if_fail (session == NULL || MAMORI_IS_SESSION (session));

  if (!g_set_object (&self->session, session))
    return;

  gtk_list_box_bind_model (self->staff_list,
                           session != NULL ? mamori_session_get_staff (session) : NULL,
                           session != NULL ? create_row_cb : NULL, self, NULL);
  g_signal_group_set_target (self->session_signals, session);
  g_signal_group_set_target (self->staff_signals,
                             session != NULL ? mamori_session_get_staff (session) : NULL);
  mamori_staff_page_update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}
