from django.apps import AppConfig


class AppraisalConfig(AppConfig):
    name = "appraisal"
    verbose_name = "Đánh giá, xếp loại"

    def ready(self):
        # A fact recorded in members (which may not import appraisal) reaches the ratings that
        # read it: the receiver calls the one service that works them out again.
        from appraisal.scoring.dependents import on_member_facts_changed
        from members.signals import member_facts_changed

        member_facts_changed.connect(on_member_facts_changed, dispatch_uid="appraisal.member_facts")
