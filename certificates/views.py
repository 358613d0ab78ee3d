from django.http import HttpResponse


def certificate_index(request):
    return HttpResponse("")
