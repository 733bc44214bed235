from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views.generic import DetailView

from nominations.selectors import get_nomination_for_user, nominee_public_view


@login_required
def home(request):
    return render(request, "home.html")


class NominationDetailView(LoginRequiredMixin, DetailView):
    """A nomination's page; another unit's nomination answers 404 (ids are guessable, existence is not told)."""

    template_name = "nominations/nomination_detail.html"
    context_object_name = "nomination"

    def get_object(self, queryset=None):
        return get_nomination_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["nominee"] = nominee_public_view(self.request.user, self.object)
        return context
