"""The staff workspace: /<lang>/manage/…"""
