import rules

from accounts.roles import is_office


@rules.predicate
def is_job_owner(user, job):
    return job is not None and user.is_authenticated and job.created_by_id == user.pk


# A job's progress and result (an export of the user's own scope, an import report) are for the
# user who started it; the provincial office sees every job.
can_view_job = is_job_owner | is_office

rules.add_perm("jobs.view_job", can_view_job)
