from xborder.quickexit import run

run()
