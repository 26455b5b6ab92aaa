from django.http import HttpResponse


def employer_home(request):
    return HttpResponse("employer home")
