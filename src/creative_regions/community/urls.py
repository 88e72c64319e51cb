from django.urls import path

from creative_regions.community import (
    views,
    views_dialogue,
    views_duplicates,
    views_import,
    views_leaders,
)

app_name = "community"

urlpatterns = [
    path("search/", views.CommunitySearchView.as_view(), name="search"),
    path(
        "organisations/",
        views.OrganisationListView.as_view(),
        name="organisation-list",
    ),
    path(
        "organisations/export.<str:file_format>",
        views.OrganisationExportView.as_view(),
        name="organisation-export",
    ),
    path(
        "organisations/choices/",
        views.OrganisationChoicesView.as_view(),
        name="organisation-choices",
    ),
    path(
        "organisations/create/",
        views.OrganisationCreateView.as_view(),
        name="organisation-create",
    ),
    path(
        "organisations/<int:pk>/",
        views.OrganisationDetailView.as_view(),
        name="organisation-detail",
    ),
    path(
        "organisations/<int:pk>/edit/",
        views.OrganisationUpdateView.as_view(),
        name="organisation-edit",
    ),
    path(
        "organisations/<int:pk>/delete/",
        views.OrganisationDeleteView.as_view(),
        name="organisation-delete",
    ),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/export/", views.PersonExportView.as_view(), name="person-export"),
    path("people/create/", views.PersonCreateView.as_view(), name="person-create"),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person-edit"),
    path(
        "people/<int:pk>/delete/",
        views.PersonDeleteView.as_view(),
        name="person-delete",
    ),
    path(
        "people/<int:pk>/consents/",
        views.ConsentRecordView.as_view(),
        name="consent-record",
    ),
    path(
        "people/<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.ConsentWithdrawView.as_view(),
        name="consent-withdraw",
    ),
    path(
        "people/<int:pk>/affiliations/",
        views.AffiliationAddView.as_view(),
        name="affiliation-add",
    ),
    path(
        "people/<int:pk>/affiliations/<int:affiliation_pk>/end/",
        views.AffiliationEndView.as_view(),
        name="affiliation-end",
    ),
    # Communities, the dialogue (interactions), follow-ups and the dialogue with
    # the authorities.
    path(
        "communities/",
        views_dialogue.CommunityListView.as_view(),
        name="community-list",
    ),
    path(
        "communities/export/",
        views_dialogue.CommunityExportView.as_view(),
        name="community-export",
    ),
    path(
        "communities/create/",
        views_dialogue.CommunityCreateView.as_view(),
        name="community-create",
    ),
    path(
        "communities/regions/<str:code>/",
        views_dialogue.CommunityRegionView.as_view(),
        name="community-region",
    ),
    path(
        "communities/<int:pk>/",
        views_dialogue.CommunityDetailView.as_view(),
        name="community-detail",
    ),
    path(
        "communities/<int:pk>/edit/",
        views_dialogue.CommunityUpdateView.as_view(),
        name="community-edit",
    ),
    path(
        "communities/<int:pk>/members/",
        views_dialogue.MembershipAddView.as_view(),
        name="membership-add",
    ),
    path(
        "communities/<int:pk>/members/<int:membership_pk>/left/",
        views_dialogue.MembershipRemoveView.as_view(),
        name="membership-remove",
    ),
    path("pick/", views_dialogue.RecordPickerView.as_view(), name="record-picker"),
    path(
        "interactions/",
        views_dialogue.InteractionListView.as_view(),
        name="interaction-list",
    ),
    path(
        "interactions/export/",
        views_dialogue.InteractionExportView.as_view(),
        name="interaction-export",
    ),
    path(
        "interactions/create/",
        views_dialogue.InteractionCreateView.as_view(),
        name="interaction-create",
    ),
    path(
        "interactions/follow-up-form/",
        views_dialogue.FollowUpFormRowView.as_view(),
        name="interaction-follow-up-form",
    ),
    path(
        "interactions/<int:pk>/",
        views_dialogue.InteractionDetailView.as_view(),
        name="interaction-detail",
    ),
    path(
        "interactions/<int:pk>/edit/",
        views_dialogue.InteractionUpdateView.as_view(),
        name="interaction-edit",
    ),
    path(
        "interactions/<int:pk>/files/<int:attachment_pk>/",
        views_dialogue.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
    path(
        "follow-ups/",
        views_dialogue.MyFollowUpListView.as_view(),
        name="follow-up-mine",
    ),
    path(
        "follow-ups/<int:pk>/status/",
        views_dialogue.FollowUpStatusView.as_view(),
        name="follow-up-status",
    ),
    path("dialogue/", views_dialogue.DialogueListView.as_view(), name="dialogue-list"),
    path(
        "dialogue/<str:code>/",
        views_dialogue.DialogueRegionView.as_view(),
        name="dialogue-region",
    ),
]

# Industry leaders of a region passport, added to the community.
urlpatterns += [
    path(
        "leaders/add/",
        views_leaders.LeaderAddView.as_view(),
        name="leader-add",
    ),
    path(
        "leaders/add-sector/",
        views_leaders.LeaderSectorAddView.as_view(),
        name="leader-sector-add",
    ),
]

# Imports of tables of organisations and people, and the merge of duplicates.
urlpatterns += [
    path("import/", views_import.CommunityImportView.as_view(), name="import"),
    path(
        "import/templates/<str:kind>.xlsx",
        views_import.CommunityImportTemplateView.as_view(),
        name="import-template",
    ),
    path(
        "imports/<int:pk>/",
        views_import.CommunityImportDetailView.as_view(),
        name="import-detail",
    ),
    path(
        "duplicates/",
        views_duplicates.DuplicateListView.as_view(),
        name="duplicate-list",
    ),
    path(
        "duplicates/organisations/merge/",
        views_duplicates.OrganisationMergeView.as_view(),
        name="organisation-merge",
    ),
    path(
        "duplicates/people/merge/",
        views_duplicates.PersonMergeView.as_view(),
        name="person-merge",
    ),
]
