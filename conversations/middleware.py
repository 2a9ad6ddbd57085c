"""Text posted after the session ended survives signing in again.

Without this, LoginRequiredMiddleware answers an anonymous POST with a redirect to the
sign-in page and whatever the person typed is gone. For views marked with
`@keeps_text_across_sign_in`, this middleware (placed just before LoginRequiredMiddleware)
keeps the posted fields in the session, keyed by the page's path, and sends the person to
sign in. Signing in keeps the data of an anonymous session (login() cycles the session key,
it does not flush it), so when the page is opened again the view takes the text back with
`take_kept_text` and shows it in the form, not yet saved.

The text is shown only on the page it was posted to, which only the one person who may
write there can open; and an anonymous POST still needs a valid CSRF token.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, JsonResponse, QueryDict

SESSION_KEY = "kept_text"
NOT_KEPT = {"csrfmiddlewaretoken", "autosave"}
MAX_KEPT_CHARACTERS = 200_000  # a little more than the largest form can hold
MAX_KEPT_PAGES = 5

SIGNED_OUT = (
    "Not saved: you may have been signed out. Your text is still here; copy it or sign in again in another tab."
)


def keeps_text_across_sign_in(view):
    """Mark a view whose posted text must survive the session ending."""
    view.keeps_text_across_sign_in = True
    return view


def is_autosave(request: HttpRequest) -> bool:
    """A background save by static/js/autosave.js, answered with JSON rather than a page."""
    return request.method == "POST" and request.POST.get("autosave") == "1"


def take_kept_text(request: HttpRequest) -> QueryDict | None:
    """The text kept for this page when the session ended, removed from the session; or None."""
    kept = request.session.get(SESSION_KEY)
    if not kept or request.path not in kept:
        return None
    fields = kept.pop(request.path)
    if kept:
        request.session[SESSION_KEY] = kept
    else:
        del request.session[SESSION_KEY]
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    return data


class PreserveUnsavedPostMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or request.user.is_authenticated:
            return None
        if not getattr(view_func, "keeps_text_across_sign_in", False):
            return None
        fields = {name: values for name, values in request.POST.lists() if name not in NOT_KEPT}
        size = sum(len(value) for values in fields.values() for value in values)
        kept_it = size <= MAX_KEPT_CHARACTERS
        if kept_it:
            kept = request.session.get(SESSION_KEY, {})
            kept.pop(request.path, None)
            kept[request.path] = fields
            while len(kept) > MAX_KEPT_PAGES:
                kept.pop(next(iter(kept)))
            request.session[SESSION_KEY] = kept
        if is_autosave(request):
            return JsonResponse({"message": SIGNED_OUT}, status=401)
        if kept_it:
            messages.warning(request, "Your session had ended. Sign in again and your text will be restored.")
        else:
            messages.warning(
                request,
                "Your session had ended and your text was too long to keep. Go back in your browser "
                "to copy it, then sign in again.",
            )
        return redirect_to_login(request.get_full_path())
