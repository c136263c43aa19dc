"""What members tells the apps above it (which it may not import): a fact about people changed.

Sent by the members services that record such facts — a discipline today — after the change is
written, inside its transaction. `appraisal` listens (AppraisalConfig.ready) and works out again
the ratings that read the fact [issue 13: every fact entered once, every dependent kept current].
"""
import django.dispatch

#: sender: the service function; member_ids: the members concerned; days: the dates the facts
#: are about (violations); actor: who recorded them; because: the change, in Vietnamese words.
member_facts_changed = django.dispatch.Signal()
